"""Home page, health check and language choice."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, session
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tafel import db
from tafel.core.forms import safe_next
from tafel.main.blueprint import main
from tafel.reference.models import Market
from tafel.reference.services import active_choices


@main.route("/")
def home():
    return render_template("main/home.html", markets=active_choices(Market))


@main.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except (SQLAlchemyError, OSError):
        current_app.logger.exception("health check: database unreachable")
        database = "error"
    body = {"status": "ok" if database == "ok" else "error", "database": database}
    return jsonify(body), 200 if database == "ok" else 503


@main.route("/language", methods=["POST"])
def set_language():
    language = request.form.get("language")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(safe_next(request.form.get("next")) or "/")
