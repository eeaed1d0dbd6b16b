"""The programmes blueprint (/programmes/), declared once; routes in `programmes.views`."""

from __future__ import annotations

from flask import Blueprint

programmes = Blueprint("programmes", __name__, url_prefix="/programmes")
