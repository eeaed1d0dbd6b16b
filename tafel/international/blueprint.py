"""The international blueprint (/internationaal/), declared once; routes in views.py."""

from __future__ import annotations

from flask import Blueprint

international = Blueprint("international", __name__, url_prefix="/internationaal")
