"""Account state changes. Services flush and audit; the view commits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from tafel import db
from tafel.accounts import passwords
from tafel.accounts.models import (
    ROLES,
    AccessRequest,
    LoginAttempt,
    Organisation,
    PasswordResetToken,
    User,
)
from tafel.accounts.validators import normalise_email
from tafel.core import audit, mail, signals
from tafel.core.errors import ServiceError
from tafel.db import utcnow
from tafel.notifications.services import in_platform_language
from tafel.reference.models import OrganisationType, Province


class AccountError(ServiceError):
    """A refused account action; `code` tells callers which refusal it was."""

    def __init__(self, message: str, field: str | None = None, code: str | None = None):
        super().__init__(message, field)
        self.code = code


def _check_new_account(email: str, password: str) -> None:
    if find_user_by_email(email) or open_access_request(email):
        raise AccountError(
            _("Er bestaat al een account met dit e-mailadres. Log in of herstel uw wachtwoord."),
            "email",
        )
    problem = passwords.password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")


# Registration -----------------------------------------------------------------


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_organisation_by_kvk(kvk: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.kvk == kvk))


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
) -> User:
    """Create an unverified organisation with its first user (role indiener)."""
    email = normalise_email(email)
    kvk = kvk or None
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
    _check_new_account(email, password)
    organisation = Organisation(
        name=org_name.strip(), org_type=org_type, kvk=kvk, province=province, verified=False
    )
    user = User(
        email=email,
        name=user_name.strip(),
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
    return user


# Access to an existing organisation ---------------------------------------------------


def open_access_request(email: str) -> AccessRequest | None:
    return db.session.scalar(
        select(AccessRequest).where(
            AccessRequest.email == normalise_email(email), AccessRequest.decided_at.is_(None)
        )
    )


def request_access(
    *, kvk: str, name: str, email: str, password: str, message: str | None, ip: str | None = None
) -> AccessRequest:
    """Ask to join the organisation with this KvK number; no account until approved."""
    organisation = find_organisation_by_kvk(kvk)
    if organisation is None:
        raise AccountError(
            _("Er is geen organisatie met dit KvK-nummer op Tafel. Meld uw organisatie aan."),
            "kvk",
        )
    email = normalise_email(email)
    _check_new_account(email, password)
    request_row = AccessRequest(
        organisation=organisation,
        name=name.strip(),
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
    return request_row


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


# Login and throttling -----------------------------------------------------------


@dataclass
class LoginResult:
    user: User | None = None
    throttled: bool = False
    retry_minutes: int = 0


def _window_start() -> datetime:
    return utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def _retry_minutes(oldest: datetime | None) -> int:
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    if oldest is None:
        return 1
    remaining = oldest + window - utcnow()
    return max(1, int(remaining.total_seconds() // 60) + 1)


def throttle_state(email: str, ip: str) -> tuple[bool, int]:
    """Is a login for this account or from this address refused right now?

    Counts failures in the window, read from the database so every worker
    and every app server sees the same count. A successful login for the
    account clears its count.
    """
    config = current_app.config
    since = _window_start()
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.created_at)).where(
            LoginAttempt.email == email, LoginAttempt.success.is_(True)
        )
    )
    account_since = max(since, last_success) if last_success else since
    account_count, account_oldest = db.session.execute(
        select(func.count(), func.min(LoginAttempt.created_at)).where(
            LoginAttempt.email == email,
            LoginAttempt.success.is_(False),
            LoginAttempt.created_at > account_since,
        )
    ).one()
    if account_count >= config["LOGIN_MAX_FAILURES_ACCOUNT"]:
        return True, _retry_minutes(account_oldest)
    ip_count, ip_oldest = db.session.execute(
        select(func.count(), func.min(LoginAttempt.created_at)).where(
            LoginAttempt.ip == ip,
            LoginAttempt.success.is_(False),
            LoginAttempt.created_at > since,
        )
    ).one()
    if ip_count >= config["LOGIN_MAX_FAILURES_ADDRESS"]:
        return True, _retry_minutes(ip_oldest)
    return False, 0


def authenticate(email: str, password: str, ip: str) -> LoginResult:
    """Check a login. Records the attempt; the caller commits."""
    email = normalise_email(email)
    throttled, minutes = throttle_state(email, ip)
    if throttled:
        return LoginResult(throttled=True, retry_minutes=minutes)
    user = find_user_by_email(email)
    ok = False
    if user is None:
        passwords.burn_time(password)
    else:
        ok = passwords.verify_password(user.password_hash, password) and user.active
    db.session.add(LoginAttempt(email=email, ip=ip, success=ok))
    if not ok:
        return LoginResult()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    return LoginResult(user=user)


def end_all_sessions(user: User, actor: User | None, ip: str | None = None) -> None:
    """Bump the session version: every session carrying the old one ends."""
    user.session_version += 1
    audit.record("user.logout_everywhere", user, actor, ip=ip)


# Passwords ------------------------------------------------------------------------


def change_password(user: User, current: str, new: str, ip: str | None = None) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError(_("Het huidige wachtwoord klopt niet."), "current_password")
    problem = passwords.password_problem(new, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = passwords.hash_password(new)
    user.session_version += 1
    audit.record("user.password_change", user, user, ip=ip)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email: str, ip: str | None = None) -> None:
    """Mail a single-use reset link if the address has an active account.

    The caller shows the same message either way, so the form does not reveal
    which addresses have an account.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            user=user, token_hash=_token_hash(token), expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.reset_password", token=token)
    with in_platform_language():
        mail.queue(
            user.email,
            _("Wachtwoord herstellen op Tafel"),
            _(
                "Beste %(name)s,\n\nMet deze link kiest u een nieuw wachtwoord voor Tafel:\n"
                "%(link)s\n\n"
                "De link werkt één keer en verloopt na %(hours)d uur. "
                "Heeft u dit niet aangevraagd? Dan kunt u dit bericht negeren.",
                name=user.name,
                link=link,
                hours=hours,
            ),
        )
    audit.record("user.password_reset_requested", user, None, ip=ip)


def valid_reset_token(token: str) -> PasswordResetToken | None:
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    if not row.user.active:
        return None
    return row


def reset_password(token_row: PasswordResetToken, new: str, ip: str | None = None) -> User:
    user = token_row.user
    problem = passwords.password_problem(new, user.email)
    if problem:
        raise AccountError(problem, "password")
    now = utcnow()
    # This token and every other open token of the user are spent.
    for row in db.session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    ):
        row.used_at = now
    user.password_hash = passwords.hash_password(new)
    user.session_version += 1
    audit.record("user.password_reset", user, user, ip=ip)
    return user


# Administration -------------------------------------------------------------------


def user_snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "name": user.name,
        "organisation_id": user.organisation_id,
        "roles": sorted(user.roles),
        "active": user.active,
    }


def org_snapshot(org: Organisation) -> dict:
    return {
        "name": org.name,
        "type": org.org_type.slug if org.org_type else None,
        "kvk": org.kvk,
        "province": org.province.slug if org.province else None,
        "city": org.city,
        "verified": org.verified,
    }


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
    if not digest:
        from tafel.notifications.services import send_digest_now

        send_digest_now(user)  # what waited for the digest goes out now
