"""Tafel: the platform of the national industrie- en technologietafel."""

from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

import config as tafel_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: tafel_config.Config | str | None = None) -> Flask:
    if config is None or isinstance(config, str):
        config = tafel_config.load(config)
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(tafel_config.INSTANCE),
    )
    app.config.from_object(config)

    register_logging(app)
    register_proxy(app)
    register_database(app)
    register_extensions(app)
    register_blueprints(app)
    register_templates(app)
    register_errors(app)
    register_security(app)
    register_caching(app)
    register_cli(app)
    return app


def register_logging(app: Flask) -> None:
    from tafel.core.logging import register_logging as configure

    configure(app)


def register_proxy(app: Flask) -> None:
    hops = int(app.config.get("PROXY_COUNT", 0) or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_database(app: Flask) -> None:
    from tafel import db

    db.init_app(app)


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]  # command line and timers speak Dutch
    from tafel.core.caching import LANGUAGE_COOKIE

    chosen = session.get("language") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen not in languages:
        chosen = request.accept_languages.best_match(languages) or languages[0]
    # English pages use British dates and numbers (28/11/2026, not 11/28/26).
    return "en_GB" if chosen == "en" else chosen


def register_extensions(app: Flask) -> None:
    from tafel.accounts.loader import load_user
    from tafel.extensions import babel, csrf, login_manager

    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=lambda: "Europe/Amsterdam",
        default_translation_directories=str(ROOT / "tafel" / "translations"),
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


# The views modules: each adds its routes to a blueprint declared in its package's
# blueprint.py (one declaration per blueprint).
ROUTE_MODULES = (
    "tafel.main.views",
    "tafel.accounts.views",
    "tafel.accounts.token_views",
    "tafel.admin.views",
    "tafel.admin.sector_views",
    "tafel.submissions.views",
    "tafel.submissions.detail_views",
    "tafel.submissions.form_views",
    "tafel.submissions.triage_views",
    "tafel.meetings.views",
    "tafel.meetings.agenda_views",
    "tafel.meetings.record_views",
    "tafel.meetings.exports",
    "tafel.voting.views",
    "tafel.decisions.views",
    "tafel.responses.views",
    "tafel.responses.feed_views",
    "tafel.responses.exports",
    "tafel.actions.views",
    "tafel.actions.exports",
    "tafel.actions.scoreboard_views",
    "tafel.programmes.views",
    "tafel.programmes.manage_views",
    "tafel.progress.views",
    "tafel.international.views",
    "tafel.notifications.views",
    "tafel.dashboard.views",
    "tafel.api.base_views",
    "tafel.api.views",
    "tafel.api.write_views",
    "tafel.api.figure_views",
    "tafel.api.opendata_views",
    "tafel.api.webhook_views",
    "tafel.api.docs_views",
)


def register_blueprints(app: Flask) -> None:
    from tafel.accounts.blueprint import account, auth
    from tafel.actions.blueprint import actions
    from tafel.admin.blueprint import admin
    from tafel.api.blueprint import api, open_data
    from tafel.dashboard.blueprint import dashboard
    from tafel.decisions.blueprint import decisions
    from tafel.international.blueprint import international
    from tafel.main.blueprint import main
    from tafel.meetings.blueprint import meetings
    from tafel.notifications.blueprint import notifications
    from tafel.programmes.blueprint import programmes
    from tafel.progress.blueprint import progress
    from tafel.responses.blueprint import responses
    from tafel.submissions.blueprint import submissions, triage
    from tafel.voting.blueprint import rounds

    for module in ROUTE_MODULES:
        importlib.import_module(module)
    for blueprint in (
        main,
        auth,
        account,
        admin,
        submissions,
        triage,
        rounds,
        meetings,
        decisions,
        responses,
        actions,
        programmes,
        progress,
        international,
        notifications,
        dashboard,
        api,
        open_data,
    ):
        app.register_blueprint(blueprint)


def register_templates(app: Flask) -> None:
    from tafel.core.markdown import printable
    from tafel.core.markdown import render as markdown
    from tafel.core.timefmt import euro, html_datetime, iso_day, local_datetime, local_day

    app.jinja_env.finalize = printable
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_day"] = local_day
    app.jinja_env.filters["html_datetime"] = html_datetime
    app.jinja_env.filters["iso_day"] = iso_day
    app.jinja_env.filters["euro"] = euro
    app.jinja_env.filters["markdown"] = markdown
    app.jinja_env.globals["current_language"] = lambda: (get_locale() or "nl").language


def register_errors(app: Flask) -> None:
    from tafel.errors import register_error_handlers

    register_error_handlers(app)


def register_security(app: Flask) -> None:
    from flask import Request

    from tafel.core.text import CleanRequest
    from tafel.security import register_security_headers

    class TafelRequest(CleanRequest, Request):
        """Flask's request, with every form value cleaned on input."""

    app.request_class = TafelRequest
    register_security_headers(app)


def register_caching(app: Flask) -> None:
    from tafel.core.caching import register_caching as register

    register(app)


def register_cli(app: Flask) -> None:
    from tafel.cli import register_commands

    register_commands(app)
