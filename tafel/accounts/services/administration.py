"""Administering users and organisations (beheer), and a user's own mail
preference."""

from __future__ import annotations

from flask_babel import gettext as _

from tafel import db
from tafel.accounts.models import ROLES, Organisation, User
from tafel.accounts.services.common import (
    AccountError,
    find_organisation_by_kvk,
    org_snapshot,
    user_snapshot,
)
from tafel.accounts.services.sessions import end_user_sessions
from tafel.core import audit, signals
from tafel.db import utcnow
from tafel.reference.models import OrganisationType, Province


def update_user(
    user: User, actor: User, *, name: str, roles: set[str], active: bool, ip: str | None = None
) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountError(_("Onbekende rol."), "roles")
    if user.id == actor.id and ("beheerder" not in roles or not active):
        raise AccountError(
            _("U kunt uw eigen beheerdersrol niet intrekken of uw eigen account niet blokkeren."),
            "roles",
        )
    before = user_snapshot(user)
    user.name = name.strip()
    user.set_roles(roles)
    if user.active and not active:
        # A deactivated user's open sessions end on their next request.
        user.session_version += 1
        end_user_sessions(user)
    user.active = active
    old, new = audit.changes(before, user_snapshot(user))
    if new:
        audit.record("user.update", user, actor, before=old, after=new, ip=ip)


def update_organisation(
    org: Organisation,
    actor: User,
    *,
    name: str,
    org_type: OrganisationType,
    kvk: str | None,
    province: Province | None,
    city: str | None,
    ip: str | None = None,
) -> None:
    kvk = kvk or None
    if org_type.kvk_required and not kvk:
        raise AccountError(_("Vul het KvK-nummer van de organisatie in."), "kvk")
    if kvk:
        other = find_organisation_by_kvk(kvk)
        if other is not None and other.id != org.id:
            raise AccountError(_("Dit KvK-nummer hoort al bij %(name)s.", name=other.name), "kvk")
    before = org_snapshot(org)
    renamed = org.name != name.strip()
    org.name, org.org_type, org.kvk = name.strip(), org_type, kvk
    org.province, org.city = province, (city or "").strip() or None
    old, new = audit.changes(before, org_snapshot(org))
    if new:
        audit.record("organisation.update", org, actor, before=old, after=new, ip=ip)
    if renamed:
        db.session.flush()
        signals.organisation_renamed.send(org)


def set_organisation_verified(
    org: Organisation, actor: User, verified: bool, ip: str | None = None
) -> None:
    if org.verified == verified:
        return
    org.verified = verified
    org.verified_at = utcnow() if verified else None
    audit.record(
        "organisation.verify" if verified else "organisation.unverify",
        org,
        actor,
        before={"verified": not verified},
        after={"verified": verified},
        ip=ip,
    )


def set_mail_preference(user: User, digest: bool) -> None:
    """Each message at once, or a daily digest (urgent messages still at once)."""
    if user.mail_digest == digest:
        return
    audit.record(
        "user.mail_preference", user, user, {"digest": user.mail_digest}, {"digest": digest}
    )
    user.mail_digest = digest
    # Notifications sends what waited for the digest when it is turned off.
    signals.mail_preference_changed.send(user, digest=digest)
