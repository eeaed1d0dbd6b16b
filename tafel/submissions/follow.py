"""Who follows a submission, and telling them about a step: the submitter
(or, when the author has left, the organisation's other users) and the users
who co-signed it."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import User
from tafel.notifications.services import in_platform_language, notify
from tafel.submissions import policies as submission_policies
from tafel.submissions.intake import submission_path
from tafel.submissions.models import CoSignature, Submission
from tafel.submissions.workflow import submitter_recipients

platform_language = in_platform_language


def cosigners(sub: Submission) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(CoSignature, CoSignature.user_id == User.id)
            .where(CoSignature.submission_id == sub.id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def followers(sub: Submission, skip_submitter: bool = False) -> list[User]:
    """The submitter and the co-signers who may (still) read the report: a
    co-signer carried over by a merge into a more closed report hears nothing."""
    people: dict[int, User] = {}
    if not skip_submitter:
        for user in submitter_recipients(sub):
            people[user.id] = user
    for user in cosigners(sub):
        if user.organisation_id != sub.organisation_id and submission_policies.can_view(user, sub):
            people.setdefault(user.id, user)
    return list(people.values())


def tell(sub: Submission, message: str, urgent: bool = False, skip_submitter: bool = False) -> int:
    """Notify the followers; a step on one's own submission can be `urgent`
    (sent at once even to users who chose the daily digest). Co-signers get
    it at once only when it is urgent too."""
    people = followers(sub, skip_submitter)
    title = f"{sub.title}: {message}"[:300]
    for user in people:
        own = user.organisation_id == sub.organisation_id
        notify(user, title, submission_path(sub), message, urgent=urgent and own)
    return len(people)
