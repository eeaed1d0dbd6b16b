"""The progress blueprint (/voortgang/), declared once; routes in `progress.views`."""

from __future__ import annotations

from flask import Blueprint

progress = Blueprint("progress", __name__, url_prefix="/voortgang")
