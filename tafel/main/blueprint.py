"""The blueprint of the home page and the operational endpoints."""

from __future__ import annotations

from flask import Blueprint

main = Blueprint("main", __name__)
