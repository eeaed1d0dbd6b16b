"""Ministry responses ("comply or explain"): the queue per ministry, drafting,
review and publication by the secretariat."""

from __future__ import annotations

from flask import Blueprint

responses = Blueprint("responses", __name__, url_prefix="/responses")
