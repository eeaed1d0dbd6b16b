"""The dashboard's figures in the API: the same figures as `/dashboard/`,
for the caller, each bar with the URL of the list it counts."""

from __future__ import annotations

from flask import url_for

from tafel.api import schemas
from tafel.api.base_views import args, caller, respond
from tafel.api.blueprint import api
from tafel.api.openapi import documented
from tafel.dashboard import figures


@api.get("/v1/dashboard")
@documented(summary="The dashboard's figures (as /dashboard/)", response=schemas.DashboardOut,
            query=schemas.DashboardQuery)  # fmt: skip
def dashboard_figures():
    params = args(schemas.DashboardQuery)
    filters = figures.DashboardFilters(market=params.market, date_from=params.from_,
                                       date_to=params.to)  # fmt: skip
    shown = [
        schemas.FigureOut(key=f.key, title=f.title, summary=figures.summary(f), total=f.total,
                          bars=[schemas.BarOut(label=b.label, value=b.value,
                                               list_url=url_for(b.endpoint, **b.args,
                                                                _external=True))
                                for b in f.bars])
        for f in figures.figures(caller().user, filters)
    ]  # fmt: skip
    return respond(schemas.DashboardOut(figures=shown))
