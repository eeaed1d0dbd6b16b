"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt.gz"


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


_dummy_hashes: dict[tuple[int, int, int], str] = {}


def burn_time(password: str) -> None:
    """Verify against a throwaway hash, so an unknown e-mail address takes as
    long to refuse as a wrong password and response times reveal nothing."""
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash("tafel-dummy-password")
    try:
        hasher.verify(_dummy_hashes[key], password)
    except (VerificationError, InvalidHashError):
        pass


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problem(password: str, email: str | None = None) -> str | None:
    """Return a message saying what is wrong with `password`, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return str(_l("Kies een wachtwoord van minstens %(n)d tekens.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Kies een wachtwoord van hoogstens %(n)d tekens.", n=MAX_LENGTH))
    lowered = password.lower()
    stem = re.sub(r"[\d\W_]+$", "", lowered)
    common = common_passwords()
    if lowered in common or (len(stem) >= 4 and stem in common) or len(set(lowered)) <= 3:
        return str(
            _l(
                "Dit wachtwoord staat in lijsten van veelgebruikte wachtwoorden "
                "of is te eenvoudig. Kies een ander."
            )
        )
    if email and lowered.startswith(email.split("@")[0].lower()):
        return str(
            _l("Het wachtwoord mag niet beginnen met het deel van uw e-mailadres vóór de @.")
        )
    return None
