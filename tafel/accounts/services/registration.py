"""Joining Tafel: registering a new organisation with its first user, and
asking for (and deciding on) access to an existing organisation."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tafel import db
from tafel.accounts import passwords
from tafel.accounts.models import AccessRequest, Organisation, User
from tafel.accounts.services.common import (
    AccountError,
    find_organisation_by_kvk,
    find_user_by_email,
    open_access_request,
    org_snapshot,
    user_snapshot,
)
from tafel.accounts.validators import normalise_email
from tafel.core import audit, mail, ratelimit
from tafel.core.i18n import in_platform_language
from tafel.core.text import single_line
from tafel.db import utcnow
from tafel.reference.models import OrganisationType, Province

log = logging.getLogger(__name__)

# Organisations of these kinds speak for the government: only the beheerder
# creates them (ASVS: no impersonation of a ministry by self-registration).
GOVERNMENT_TYPES = frozenset(
    {"ministerie", "provincie", "gemeente", "waterschap", "uitvoeringsorganisatie"}
)


def _check_password(email: str, password: str) -> None:
    problem = passwords.password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")


def _address_taken(email: str, password: str) -> bool:
    """Whether the address has an account or an open access request.

    If so, its owner is told by mail and the caller answers exactly as for a
    new address (no account enumeration); the password is hashed anyway so
    the answer takes as long.
    """
    if not (find_user_by_email(email) or open_access_request(email)):
        return False
    passwords.burn_time(password)
    with in_platform_language():
        mail.queue(
            email,
            _("Aanmelding bij Tafel met uw e-mailadres"),
            _(
                "Iemand heeft geprobeerd zich bij Tafel aan te melden met dit e-mailadres. "
                "Er bestaat al een account (of een verzoek om toegang) bij dit adres, dus er is "
                "niets veranderd.\n\nWas u dat zelf? Log dan in, of kies een nieuw wachtwoord "
                "via ‘Wachtwoord vergeten’. Was u het niet? Dan kunt u dit bericht negeren."
            ),
        )
    log.info("registration or access request for an address that is taken")
    return True


def register_organisation(
    *,
    org_name: str,
    org_type: OrganisationType,
    kvk: str | None,
    province: Province | None,
    user_name: str,
    email: str,
    password: str,
    ip: str | None = None,
) -> User | None:
    """Create an unverified organisation with its first user (role indiener).

    None when the address is taken: its owner is told by mail, and the
    caller shows the same answer as for a new account."""
    email = normalise_email(email)
    kvk = kvk or None
    _limited("register", ip)
    if org_type.slug in GOVERNMENT_TYPES:
        raise AccountError(
            _(
                "Overheidsorganisaties worden door de beheerder van Tafel aangemaakt. "
                "Vraag toegang tot uw organisatie, of neem contact op met het secretariaat."
            ),
            "org_type",
        )
    if org_type.kvk_required and not kvk:
        raise AccountError(_("Vul het KvK-nummer van de organisatie in."), "kvk")
    if kvk and find_organisation_by_kvk(kvk):
        raise AccountError(
            _(
                "Er is al een organisatie met dit KvK-nummer op Tafel. "
                "Vraag toegang tot de bestaande organisatie; het secretariaat keurt dat goed."
            ),
            "kvk",
            code="duplicate_kvk",
        )
    _check_password(email, password)
    if _address_taken(email, password):
        return None
    organisation = Organisation(
        name=single_line(org_name), org_type=org_type, kvk=kvk, province=province, verified=False
    )
    user = User(
        email=email,
        name=single_line(user_name),
        password_hash=passwords.hash_password(password),
        organisation=organisation,
    )
    user.set_roles({"indiener"})
    db.session.add_all([organisation, user])
    db.session.flush()
    audit.record(
        "organisation.register", organisation, user, after=org_snapshot(organisation), ip=ip
    )
    audit.record("user.create", user, user, after=user_snapshot(user), ip=ip)
    with in_platform_language():
        mail.queue(
            email,
            _("Welkom bij Tafel"),
            _(
                "Beste %(name)s,\n\n%(org)s is aangemeld bij Tafel. U kunt nu inloggen met dit "
                "e-mailadres en het wachtwoord dat u koos. Het secretariaat controleert de "
                "gegevens en verifieert de organisatie.",
                name=user.name,
                org=organisation.name,
            ),
        )
    return user


def _limited(kind: str, ip: str | None, email: str | None = None) -> None:
    keys = [f"ip:{ip or 'unknown'}"] + ([f"email:{email}"] if email else [])
    if not ratelimit.allow(kind, keys):
        raise AccountError(
            _("Te veel aanvragen in korte tijd. Probeer het later opnieuw."), code="rate_limited"
        )


def request_access(
    *, kvk: str, name: str, email: str, password: str, message: str | None, ip: str | None = None
) -> tuple[Organisation, AccessRequest | None]:
    """Ask to join the organisation with this KvK number; no account until approved.

    The request row is None when the address is taken (its owner is told by
    mail; the caller answers as for a new request)."""
    organisation = find_organisation_by_kvk(kvk)
    if organisation is None:
        raise AccountError(
            _("Er is geen organisatie met dit KvK-nummer op Tafel. Meld uw organisatie aan."),
            "kvk",
        )
    email = normalise_email(email)
    _limited("access_request", ip, email)
    _check_password(email, password)
    if _address_taken(email, password):
        return organisation, None
    request_row = AccessRequest(
        organisation=organisation,
        name=single_line(name),
        email=email,
        password_hash=passwords.hash_password(password),
        message=(message or "").strip() or None,
    )
    db.session.add(request_row)
    db.session.flush()
    audit.record(
        "access_request.create",
        request_row,
        None,
        after={"email": email, "organisation_id": organisation.id},
        ip=ip,
    )
    return organisation, request_row


def decide_access_request(
    request_row: AccessRequest, actor: User, approve: bool, ip: str | None = None
) -> User | None:
    """Approve (create the account, role indiener) or reject; mail the requester."""
    if request_row.decided_at is not None:
        raise AccountError(_("Over dit verzoek is al besloten."))
    request_row.decided_at = utcnow()
    request_row.decided_by_id = actor.id
    request_row.outcome = "approved" if approve else "rejected"
    user = None
    if approve:
        if find_user_by_email(request_row.email):
            log.warning(
                "access request %s not approved: the address has an account", request_row.id
            )
            raise AccountError(_("Er bestaat al een account met dit e-mailadres."))
        user = User(
            email=request_row.email,
            name=request_row.name,
            password_hash=request_row.password_hash,
            organisation=request_row.organisation,
        )
        user.set_roles({"indiener"})
        db.session.add(user)
        db.session.flush()
        audit.record("user.create", user, actor, after=user_snapshot(user), ip=ip)
        body = _l(
            "Beste %(name)s,\n\nUw verzoek om toegang tot %(org)s op Tafel is goedgekeurd. "
            "U kunt nu inloggen met uw e-mailadres en het wachtwoord dat u koos.",
            name=request_row.name,
            org=request_row.organisation.name,
        )
    else:
        body = _l(
            "Beste %(name)s,\n\nUw verzoek om toegang tot %(org)s op Tafel is niet "
            "goedgekeurd. Neem voor vragen contact op met het secretariaat.",
            name=request_row.name,
            org=request_row.organisation.name,
        )
    # The password hash has done its work either way.
    request_row.password_hash = ""
    with in_platform_language():
        mail.queue(request_row.email, _("Uw verzoek om toegang tot Tafel"), str(body))
    audit.record(
        "access_request." + request_row.outcome,
        request_row,
        actor,
        before={"outcome": None},
        after={"outcome": request_row.outcome},
        ip=ip,
    )
    return user
