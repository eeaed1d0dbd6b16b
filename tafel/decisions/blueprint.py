"""The decisions blueprint (/decisions/), declared once.

Its routes are in `decisions.views`; two higher features add pages under the
same URL prefix and endpoint names, because they read more than decisions:
the Atom feed of decisions and published responses (`responses.feed_views`,
`decisions.feed`) and the ministry scoreboard (`actions.scoreboard_views`,
`decisions.scoreboard`, `decisions.scoreboard_csv`).
"""

from __future__ import annotations

from flask import Blueprint

decisions = Blueprint("decisions", __name__, url_prefix="/decisions")
