"""The blueprint of the JSON API and its documentation."""

from __future__ import annotations

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api")
open_data = Blueprint("open_data", __name__, url_prefix="/open-data")
