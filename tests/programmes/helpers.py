"""Builders for programme tests."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.programmes import services
from tafel.programmes.models import FundingStatus, Programme
from tafel.reference.models import ActionLine, Ministry


def programme(slug: str = "halfgeleiders") -> Programme:
    return db.session.scalars(select(Programme).where(Programme.slug == slug)).one()


def line(slug: str = "ruimte-infrastructuur") -> ActionLine:
    return db.session.scalars(select(ActionLine).where(ActionLine.slug == slug)).one()


def ministry(slug: str = "EZK") -> Ministry:
    return db.session.scalars(select(Ministry).where(Ministry.slug == slug)).one()


def funding(slug: str = "geen-middelen") -> FundingStatus:
    return db.session.scalars(select(FundingStatus).where(FundingStatus.slug == slug)).one()


def data(**fields) -> services.ActionData:
    fields.setdefault("title", "Netcapaciteit voor de chipcluster")
    fields.setdefault("action_line_id", line().id)
    return services.ActionData(**fields)


def make_action(actor, prog: Programme | None = None, **fields):
    action = services.create_action(prog or programme(), actor, data(**fields))
    db.session.commit()
    return action
