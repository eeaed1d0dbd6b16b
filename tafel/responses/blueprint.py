"""The responses blueprint (/responses/), declared once; its routes are in
`responses.views`."""

from __future__ import annotations

from flask import Blueprint

responses = Blueprint("responses", __name__, url_prefix="/responses")
