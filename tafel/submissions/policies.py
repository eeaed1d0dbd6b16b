"""Who may see and do what with submissions.

`visible_clause(user)` is the one visibility filter: every list, search,
export, count and lookup goes through it. `can_view` is the same rule for a
single loaded submission; a test checks that the two always agree.
"""

from __future__ import annotations

from sqlalchemy import and_, false, or_

from tafel.submissions.models import Submission

TABLE_ROLES = frozenset({"tafellid", "voorzitter", "secretariaat", "departement"})
CONFIDENTIAL_ROLES = frozenset({"secretariaat", "voorzitter"})
EDITABLE = frozenset({"concept", "ingediend", "aanvulling_gevraagd"})
# Not (or no longer) open: no support, no merging into, no similar-report hints.
CLOSED = frozenset({"concept", "samengevoegd", "niet_ontvankelijk", "afgehandeld"})
# From open to closed to the public: a merge may not move content this way.
VISIBILITY_RANK = {"openbaar": 0, "tafel": 1, "vertrouwelijk": 2}


def _roles(user) -> frozenset[str]:
    return frozenset(user.roles) if user.is_authenticated else frozenset()


def _ministry_id(user) -> int | None:
    return user.organisation.ministry_id if user.is_authenticated else None


def visible_clause(user):
    """A WHERE clause on Submission: the rows `user` may read."""
    published = Submission.status != "concept"
    clauses = [and_(Submission.visibility == "openbaar", published)]
    if not user.is_authenticated:
        return clauses[0]
    roles = _roles(user)
    clauses.append(Submission.organisation_id == user.organisation_id)
    if roles & CONFIDENTIAL_ROLES:
        clauses.append(published)
        return or_(*clauses)
    if roles & TABLE_ROLES:
        clauses.append(and_(Submission.visibility == "tafel", published))
    if "departement" in roles and _ministry_id(user):
        clauses.append(
            and_(
                Submission.visibility == "vertrouwelijk",
                published,
                Submission.ministry_id == _ministry_id(user),
            )
        )
    return or_(*clauses) if clauses else false()


def can_view(user, sub: Submission) -> bool:
    if user.is_authenticated and sub.organisation_id == user.organisation_id:
        return True
    if sub.status == "concept":
        return False
    if sub.visibility == "openbaar":
        return True
    roles = _roles(user)
    if roles & CONFIDENTIAL_ROLES:
        return True
    if sub.visibility == "tafel":
        return bool(roles & TABLE_ROLES)
    return (
        "departement" in roles
        and _ministry_id(user) is not None
        and sub.ministry_id == _ministry_id(user)
    )


def is_own(user, sub: Submission) -> bool:
    return user.is_authenticated and sub.organisation_id == user.organisation_id


def can_edit(user, sub: Submission) -> bool:
    return is_own(user, sub) and sub.status in EDITABLE


def can_reply(user, sub: Submission) -> bool:
    return is_own(user, sub) and sub.status == "aanvulling_gevraagd"


def can_cosign(user, sub: Submission) -> bool:
    """Another, verified organisation may support a submission once it is open.
    The secretariat stays neutral and does not co-sign."""
    return (
        user.is_authenticated
        and not is_own(user, sub)
        and "secretariaat" not in _roles(user)
        and user.organisation.verified
        and sub.status not in CLOSED
        and can_view(user, sub)
    )


def can_comment(user, sub: Submission) -> bool:
    """Discussion happens on open submissions; a merged one continues on its target."""
    return (
        user.is_authenticated
        and sub.status not in ("concept", "samengevoegd")
        and can_view(user, sub)
    )


def can_triage(user) -> bool:
    return user.is_authenticated and "secretariaat" in _roles(user)


def can_moderate(user) -> bool:
    return can_triage(user)


def can_see_submitter(user, sub: Submission) -> bool:
    """The submitting organisation is public unless it asked not to be."""
    return sub.show_organisation or is_own(user, sub) or bool(_roles(user) & TABLE_ROLES)


def shown_organisation(user, sub: Submission, organisation_id: int | None, name: str) -> str | None:
    """How an organisation acting on `sub` is named to `user`: None when it is
    the submitter and the submitter is anonymous to this user."""
    if organisation_id == sub.organisation_id and not can_see_submitter(user, sub):
        return None
    return name


def can_read_exchange(user, sub: Submission) -> bool:
    """Questions, answers and reasons between the secretariat and the submitter."""
    return is_own(user, sub) or bool(_roles(user) & CONFIDENTIAL_ROLES)


def can_merge_into(sub: Submission, target: Submission) -> bool:
    """Merging carries support and attachments over: never to a wider audience."""
    return VISIBILITY_RANK[target.visibility] >= VISIBILITY_RANK[sub.visibility]
