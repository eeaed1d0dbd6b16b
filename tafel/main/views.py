"""Home page, health check and language choice."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user

from tafel.core.caching import LANGUAGE_COOKIE
from tafel.core.forms import safe_next
from tafel.main import health
from tafel.main.blueprint import main
from tafel.reference.cache import choices
from tafel.reference.models import Market


@main.route("/")
def home():
    return render_template("main/home.html", markets=choices(Market))


@main.route("/healthz")
def healthz():
    """Each part of the service as JSON; 503 when a required part fails
    (see tafel.main.health for which parts are required)."""
    body, healthy = health.report()
    return jsonify(body), 200 if healthy else 503, {"Cache-Control": "no-store"}


@main.route("/language/<language>")
def choose_language(language: str):
    """A visitor's language choice: a link, and a cookie of its own rather than
    the session, so public pages stay sessionless (core/caching.py). Nothing
    is stored on the server; a signed-in user's choice stays in the session."""
    response = redirect(safe_next(request.args.get("next")) or "/")
    if language in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated:
            session["language"] = language
        else:
            response.set_cookie(
                LANGUAGE_COOKIE,
                language,
                max_age=365 * 86400,
                secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                httponly=True,
                samesite="Lax",
            )
    return response


@main.route("/language", methods=["POST"])
def set_language():
    language = request.form.get("language")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(safe_next(request.form.get("next")) or "/")
