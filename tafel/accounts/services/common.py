"""What the account services share: the refusal, the look-ups and the audit
snapshots."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import AccessRequest, Organisation, User
from tafel.accounts.validators import normalise_email
from tafel.core.errors import ServiceError


class AccountError(ServiceError):
    """A refused account action; `code` tells callers which refusal it was."""

    def __init__(self, message: str, field: str | None = None, code: str | None = None):
        super().__init__(message, field)
        self.code = code


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_organisation_by_kvk(kvk: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.kvk == kvk))


def open_access_request(email: str) -> AccessRequest | None:
    return db.session.scalar(
        select(AccessRequest).where(
            AccessRequest.email == normalise_email(email), AccessRequest.decided_at.is_(None)
        )
    )


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
