"""Action items: lists (overdue, per owner), progress updates and closing."""

from __future__ import annotations

from flask import Blueprint

actions = Blueprint("actions", __name__, url_prefix="/actions")
