"""Sector leads: who is the EZ contact of which sector, the sectors without
one, and assigning them (audited; flushes, the view commits)."""

from __future__ import annotations

from sqlalchemy import delete, select

from tafel import db
from tafel.accounts.models import SectorLead, User
from tafel.core import audit
from tafel.reference.models import Sector


def leads_of(sector_id: int | None) -> list[User]:
    if not sector_id:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(SectorLead, SectorLead.user_id == User.id)
            .where(SectorLead.sector_id == sector_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def sectors_of(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(
        db.session.scalars(select(SectorLead.sector_id).where(SectorLead.user_id == user.id))
    )


def leads_by_sector() -> dict[int, list[User]]:
    result: dict[int, list[User]] = {}
    rows = db.session.execute(
        select(SectorLead.sector_id, User)
        .join(User, User.id == SectorLead.user_id)
        .order_by(User.name)
    )
    for sector_id, user in rows:
        result.setdefault(sector_id, []).append(user)
    return result


def sectors_without_lead() -> list[Sector]:
    led = (
        select(SectorLead.sector_id)
        .join(User, User.id == SectorLead.user_id)
        .where(User.active.is_(True))
    )
    return list(
        db.session.scalars(
            select(Sector)
            .where(Sector.active.is_(True), Sector.id.not_in(led))
            .order_by(Sector.position, Sector.id)
        )
    )


def set_leads(sector: Sector, user_ids: list[int], actor) -> None:
    before = sorted(u.id for u in leads_of(sector.id))
    after = sorted(set(user_ids))
    if before == after:
        return
    db.session.execute(delete(SectorLead).where(SectorLead.sector_id == sector.id))
    for user_id in after:
        db.session.add(SectorLead(user_id=user_id, sector_id=sector.id))
    db.session.flush()
    audit.record("sector.leads", sector, actor, before={"leads": before}, after={"leads": after})
