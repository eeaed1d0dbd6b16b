"""Roles in one place: the values, their labels, the groups and the predicates
every feature's policies use. A user may hold several roles; an anonymous
visitor holds none."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

INDIENER = "indiener"
TAFELLID = "tafellid"
SECRETARIAAT = "secretariaat"
VOORZITTER = "voorzitter"
DEPARTEMENT = "departement"
BEHEERDER = "beheerder"

ROLES = (INDIENER, TAFELLID, SECRETARIAAT, VOORZITTER, DEPARTEMENT, BEHEERDER)
ROLE_LABELS = {
    INDIENER: _l("Indiener"),
    TAFELLID: _l("Tafellid"),
    SECRETARIAAT: _l("Secretariaat"),
    VOORZITTER: _l("Voorzitter"),
    DEPARTEMENT: _l("Departement"),
    BEHEERDER: _l("Beheerder"),
}

# Who runs the table's work: agendas, rounds, decisions, reviews.
MANAGERS = frozenset({SECRETARIAAT, VOORZITTER})
# Who reads what is shared with the table ("tafel" visibility, rounds, packs).
TABLE_ROLES = frozenset({TAFELLID, VOORZITTER, SECRETARIAAT, DEPARTEMENT})
# Roles whose sessions time out when idle and that need a second factor.
PRIVILEGED_ROLES = frozenset({SECRETARIAAT, VOORZITTER, BEHEERDER, DEPARTEMENT})
# Who sits at the table and votes.
MEMBER_ROLES = frozenset({TAFELLID, VOORZITTER})


def roles_of(user) -> frozenset[str]:
    """The roles of a user; none for an anonymous visitor."""
    return frozenset(user.roles) if user.is_authenticated else frozenset()


def has_any(user, roles) -> bool:
    return bool(roles_of(user) & frozenset(roles))


def is_manager(user) -> bool:
    """Secretariat or chair."""
    return has_any(user, MANAGERS)


def is_secretariat(user) -> bool:
    return SECRETARIAAT in roles_of(user)


def is_table(user) -> bool:
    """A table role: member, chair, secretariat or ministry liaison."""
    return has_any(user, TABLE_ROLES)


def is_member(user) -> bool:
    """A voting member of the table: tafellid or chair."""
    return has_any(user, MEMBER_ROLES)


def is_ministry(user) -> bool:
    return DEPARTEMENT in roles_of(user)


def is_admin(user) -> bool:
    return BEHEERDER in roles_of(user)


def is_privileged(user) -> bool:
    """Secretariat, chair, beheerder or ministry liaison."""
    return has_any(user, PRIVILEGED_ROLES)


@dataclass(frozen=True)
class ViewerOrganisation:
    id: int
    ministry_id: int | None
    verified: bool


@dataclass(frozen=True)
class Viewer:
    """The reader of a streamed download, copied out of the request's session.

    A streamed response is written after the request's session is closed; an
    ORM user read there raises DetachedInstanceError. The policies read only
    these attributes, so they accept a Viewer wherever they accept a user."""

    is_authenticated: bool
    id: int | None = None
    organisation_id: int | None = None
    roles: frozenset[str] = frozenset()
    organisation: ViewerOrganisation | None = None


def viewer_of(user) -> Viewer:
    """A plain copy of `user` (anonymous or signed in) for use after the request."""
    if not user.is_authenticated:
        return Viewer(is_authenticated=False)
    org = user.organisation
    return Viewer(
        is_authenticated=True,
        id=user.id,
        organisation_id=user.organisation_id,
        roles=frozenset(user.roles),
        organisation=ViewerOrganisation(org.id, org.ministry_id, bool(org.verified)),
    )
