"""The decision register: the public list, a decision's page, recording a
decision on a meeting's decision item, amendments and the motion vote."""

from __future__ import annotations

from flask import Blueprint

decisions = Blueprint("decisions", __name__, url_prefix="/decisions")
