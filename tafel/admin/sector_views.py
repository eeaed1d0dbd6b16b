"""Sector leads on the beheer pages: every sector's EZ contact(s)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tafel import db
from tafel.accounts import roles, sectorleads
from tafel.accounts.models import User, UserRole
from tafel.accounts.policies import can_manage_organisations
from tafel.admin.blueprint import admin
from tafel.core.permissions import requires
from tafel.core.views import commit_or_refuse
from tafel.reference.models import Sector
from tafel.reference.services import active_choices


def lead_candidates() -> list[User]:
    """Who can be a sector lead: active secretariat and ministry users."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role.in_((roles.SECRETARIAAT, roles.DEPARTEMENT)), User.active.is_(True)
            )
            .distinct()
            .order_by(User.name)
        )
    )


@admin.route("/sectorleads", methods=["GET", "POST"])
@requires(can_manage_organisations)
def sector_leads():
    sectors = active_choices(Sector)
    if request.method == "POST":
        allowed = {u.id for u in lead_candidates()}
        with commit_or_refuse() as done:
            for sector in sectors:
                values = request.form.getlist(f"sector-{sector.id}")
                chosen = [int(v) for v in values if v.isascii() and v.isdigit()]
                sectorleads.set_leads(sector, [i for i in chosen if i in allowed], current_user)
        if done:
            flash(_("De sectorleads zijn opgeslagen."), "success")
        return redirect(url_for("admin.sector_leads"))
    return render_template(
        "admin/sector_leads.html",
        sectors=sectors,
        leads=sectorleads.leads_by_sector(),
        candidates=lead_candidates(),
    )
