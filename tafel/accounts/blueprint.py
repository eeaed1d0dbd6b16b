"""Blueprints of the accounts feature: logging in and registering (/auth), one's account."""

from __future__ import annotations

from flask import Blueprint

auth = Blueprint("auth", __name__, url_prefix="/auth")
account = Blueprint("account", __name__, url_prefix="/account")
