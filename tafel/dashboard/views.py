"""The dashboard page: every figure as an SVG bar chart with its table and a
one-sentence summary; each bar links to the list it counts."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from tafel.dashboard import figures
from tafel.dashboard.blueprint import dashboard
from tafel.reference.models import Market
from tafel.reference.services import active_choices


@dashboard.route("/")
def index():
    filters = figures.DashboardFilters.from_args(request.args)
    shown = figures.figures(current_user, filters)
    return render_template(
        "dashboard/index.html",
        figures=shown,
        summary=figures.summary,
        filters=filters,
        markets=active_choices(Market),
    )
