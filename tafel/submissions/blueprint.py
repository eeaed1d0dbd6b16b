"""The blueprints of reports, declared once: `submissions` (/submissions/:
list, form, report page) and `triage` (/triage/: the secretariat's inbox and
its transitions). The views modules add their routes to these."""

from __future__ import annotations

from flask import Blueprint

submissions = Blueprint("submissions", __name__, url_prefix="/submissions")
triage = Blueprint("triage", __name__, url_prefix="/triage")
