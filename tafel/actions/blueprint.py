"""The actions blueprint (/actions/), declared once; its routes are in
`actions.views` (the scoreboard's pages, on the decisions blueprint, are in
`actions.scoreboard_views`)."""

from __future__ import annotations

from flask import Blueprint

actions = Blueprint("actions", __name__, url_prefix="/actions")
