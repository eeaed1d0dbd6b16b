"""Home page, health check and language choice."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, session

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
    return jsonify(body), 200 if healthy else 503


@main.route("/language", methods=["POST"])
def set_language():
    language = request.form.get("language")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(safe_next(request.form.get("next")) or "/")
