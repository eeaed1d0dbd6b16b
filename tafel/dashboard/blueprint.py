"""The blueprint of the dashboard."""

from __future__ import annotations

from flask import Blueprint

dashboard = Blueprint("dashboard", __name__, url_prefix="/dashboard")
