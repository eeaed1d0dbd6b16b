"""The blueprint of the priority rounds (/rounds)."""

from __future__ import annotations

from flask import Blueprint

rounds = Blueprint("rounds", __name__, url_prefix="/rounds")
