"""Who may see and do what with submissions.

`visible_clause(user)` is the one visibility filter: every list, search,
export, count and lookup goes through it. `can_view` is the same rule for a
single loaded submission; a test checks that the two always agree.

Roles come from tafel.accounts.roles: the managers (secretariat and chair)
read every published report, the table roles read what is shared with the
table, a ministry liaison reads its ministry's confidential reports.
"""

from __future__ import annotations

from sqlalchemy import and_, false, or_

from tafel.accounts.roles import is_manager, is_ministry, is_secretariat, is_table
from tafel.submissions.models import Submission

EDITABLE = frozenset({"concept", "ingediend", "aanvulling_gevraagd"})
# Not (or no longer) open: no support, no merging into, no similar-report hints.
CLOSED = frozenset({"concept", "samengevoegd", "niet_ontvankelijk", "afgehandeld"})
# From open to closed to the public: a merge may not move content this way.
VISIBILITY_RANK = {"openbaar": 0, "tafel": 1, "vertrouwelijk": 2}


def _ministry_id(user) -> int | None:
    return user.organisation.ministry_id if user.is_authenticated else None


def visible_clause(user):
    """A WHERE clause on Submission: the rows `user` may read."""
    published = Submission.status != "concept"
    clauses = [and_(Submission.visibility == "openbaar", published)]
    if not user.is_authenticated:
        return clauses[0]
    own = Submission.organisation_id == user.organisation_id
    if is_manager(user):
        # Every published report, and the organisation's own concepts: the
        # public term is contained in "published", so it is left out.
        return or_(published, own)
    clauses.append(own)
    if is_table(user):
        clauses.append(and_(Submission.visibility == "tafel", published))
    if is_ministry(user) and _ministry_id(user):
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
    if is_manager(user):
        return True
    if sub.visibility == "tafel":
        return is_table(user)
    return (
        is_ministry(user)
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
        and not is_secretariat(user)
        and user.organisation.verified
        and sub.status not in CLOSED
        and can_view(user, sub)
    )


def can_comment(user, sub: Submission) -> bool:
    """Discussion happens on open submissions; a merged one continues on its target.
    An organisation not yet verified does not speak in public under its name."""
    return (
        user.is_authenticated
        and user.organisation.verified
        and sub.status not in ("concept", "samengevoegd")
        and can_view(user, sub)
    )


def can_triage(user) -> bool:
    return is_secretariat(user)


def can_moderate(user) -> bool:
    return can_triage(user)


def can_see_submitter(user, sub: Submission) -> bool:
    """The submitting organisation is public unless it asked not to be."""
    return sub.show_organisation or is_own(user, sub) or is_table(user)


def shown_organisation(user, sub: Submission, organisation_id: int | None, name: str) -> str | None:
    """How an organisation acting on `sub` is named to `user`: None when it is
    the submitter and the submitter is anonymous to this user."""
    if organisation_id == sub.organisation_id and not can_see_submitter(user, sub):
        return None
    return name


def can_read_exchange(user, sub: Submission) -> bool:
    """Questions, answers and reasons between the secretariat and the submitter."""
    return is_own(user, sub) or is_manager(user)


def can_merge_into(sub: Submission, target: Submission) -> bool:
    """Merging carries support and attachments over: never to a wider audience."""
    return VISIBILITY_RANK[target.visibility] >= VISIBILITY_RANK[sub.visibility]
