"""Tafel configuration, read from TAFEL_* environment variables.

Pick a class with TAFEL_ENV (development, test, production); every setting
below can be overridden by the environment variable named beside it.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("TAFEL_INSTANCE_PATH", ROOT / "instance"))


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"TAFEL_{name}", default)


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    ENV_NAME = "base"
    TESTING = False
    SECRET_KEY: str | None = env("SECRET_KEY")
    DATABASE_URL = env("DATABASE_URL", f"sqlite:///{INSTANCE / 'tafel.db'}")
    SQL_ECHO = env_bool("SQL_ECHO", False)
    # Database waits: a frozen database gives an error within seconds rather than
    # hanging every worker. SQLite: how long a writer waits for the write lock.
    # PostgreSQL: connecting (seconds) and any one statement (ms, 0 = no limit).
    SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
    DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    STATEMENT_TIMEOUT_MS = env_int("STATEMENT_TIMEOUT_MS", 30000)
    REFERENCE_DIR = Path(env("REFERENCE_DIR", str(ROOT.parent / "shared" / "reference")))

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    SESSION_COOKIE_NAME = "tafel_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_HOURS", 12))
    # A session ends SESSION_HOURS after login whatever happens (absolute
    # lifetime, checked on the server's session record), and for secretariaat,
    # voorzitter, beheerder and departement after this many idle minutes.
    SESSION_IDLE_MINUTES_PRIVILEGED = env_int("SESSION_IDLE_MINUTES_PRIVILEGED", 120)
    # Changing roles or e-mail addresses asks for the password again unless the
    # user logged in or confirmed it this many minutes ago.
    REAUTH_MINUTES = env_int("REAUTH_MINUTES", 10)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 60 * 1024 * 1024)

    # Login throttling (stored in the database, shared by all workers).
    LOGIN_WINDOW_MINUTES = env_int("LOGIN_WINDOW_MINUTES", 15)
    LOGIN_MAX_FAILURES_ACCOUNT = env_int("LOGIN_MAX_FAILURES_ACCOUNT", 5)
    LOGIN_MAX_FAILURES_ADDRESS = env_int("LOGIN_MAX_FAILURES_ADDRESS", 20)
    PASSWORD_RESET_HOURS = env_int("PASSWORD_RESET_HOURS", 2)

    # argon2id parameters (RFC 9106 second recommended option by default).
    ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = env_int("ARGON2_MEMORY_COST", 64 * 1024)
    ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 4)

    # Mail: the outbox is sent by `flask --app tafel send-mail`.
    MAIL_FROM = env("MAIL_FROM", "Tafel <noreply@tafel.example.org>")
    SMTP_HOST = env("SMTP_HOST")
    SMTP_PORT = env_int("SMTP_PORT", 587)
    SMTP_USER = env("SMTP_USER")
    SMTP_PASSWORD = env("SMTP_PASSWORD")
    SMTP_STARTTLS = env_bool("SMTP_STARTTLS", True)
    SMTP_TIMEOUT = float(env("SMTP_TIMEOUT") or 10)  # seconds per SMTP connection
    # `flask --app tafel worker`: one tick every WORKER_INTERVAL seconds by the
    # runner holding the lease; a lease not renewed for WORKER_LEASE seconds
    # (SQLite) is free for another worker to take over.
    WORKER_INTERVAL = env_int("WORKER_INTERVAL", 60)
    WORKER_LEASE = env_int("WORKER_LEASE", 180)
    BASE_URL = env("BASE_URL", "http://127.0.0.1:5000")
    MAIL_DIR = Path(env("MAIL_DIR", str(INSTANCE / "mail")))
    MAIL_DOMAIN = env("MAIL_DOMAIN", "tafel.example.org")
    # The organizer of meeting invitations: replies to an invitation go here.
    SECRETARIAT_EMAIL = env("SECRETARIAT_EMAIL", "secretariaat@tafel.example.org")
    SECRETARIAT_NAME = env("SECRETARIAT_NAME", "Secretariaat industrie- en technologietafel")
    UPLOAD_DIR = Path(env("UPLOAD_DIR", str(INSTANCE / "uploads")))
    # Rendered PDFs, one file per distinct content (see tafel.core.exports.pdf_bytes).
    PDF_CACHE_DIR = Path(os.environ.get("TAFEL_PDF_CACHE_DIR") or INSTANCE / "pdf-cache")
    PDF_CACHE_FILES = env_int("PDF_CACHE_FILES", 500)
    # Expensive documents (PDFs, exports) per address per window (tafel.core.ratelimit).
    DOWNLOAD_LIMIT = env_int("DOWNLOAD_LIMIT", 30)
    DOWNLOAD_WINDOW_SECONDS = env_int("DOWNLOAD_WINDOW_SECONDS", 300)
    # Triage: first response due within this many working days.
    TRIAGE_TARGET_DAYS = env_int("TRIAGE_TARGET_DAYS", 10)
    RESPONSE_DEADLINE_WEEKS = env_int("RESPONSE_DEADLINE_WEEKS", 8)

    PAGE_SIZE = env_int("PAGE_SIZE", 25)
    PROXY_COUNT = env_int("PROXY_COUNT", 0)

    # The JSON API: calls per minute per token and per address (counted in the
    # database); webhook receivers on private addresses allowed by host name
    # (comma-separated) and the seconds one delivery may take; open-data files.
    API_RATE_LIMIT_TOKEN = env_int("API_RATE_LIMIT_TOKEN", 600)
    API_RATE_LIMIT_ADDRESS = env_int("API_RATE_LIMIT_ADDRESS", 120)
    WEBHOOK_ALLOWED_HOSTS = [h.strip() for h in (env("WEBHOOK_ALLOWED_HOSTS") or "").split(",")
                             if h.strip()]  # fmt: skip
    WEBHOOK_TIMEOUT = float(env("WEBHOOK_TIMEOUT") or 5)
    OPEN_DATA_DIR = Path(env("OPEN_DATA_DIR") or INSTANCE / "open-data")


class DevelopmentConfig(Config):
    ENV_NAME = "development"

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            self.SECRET_KEY = _instance_secret()


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - tests only
    DATABASE_URL = env("TEST_DATABASE_URL", "sqlite://")
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8 * 1024
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    # The __Host- prefix: the browser accepts the cookie only over HTTPS, for
    # path /, without a Domain, so no sibling host can set or read it.
    SESSION_COOKIE_NAME = "__Host-tafel_session"
    SESSION_COOKIE_PATH = "/"

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            raise RuntimeError(
                "TAFEL_SECRET_KEY is not set: Tafel refuses to start in production without it."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def load(name: str | None = None) -> Config:
    """Return the configuration object for `name` (default: TAFEL_ENV or development)."""
    name = name or env("ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"Unknown TAFEL_ENV {name!r}; use one of {', '.join(CONFIGS)}") from None


def _instance_secret() -> str:
    """Generate a development secret once and keep it in instance/."""
    path = INSTANCE / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
