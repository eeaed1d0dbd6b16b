"""Builders for ministry responses and action items in tests (committed)."""

from __future__ import annotations

from datetime import timedelta

from tafel import db
from tafel.actions.models import ActionItem
from tafel.core.timefmt import local_today
from tafel.db import utcnow
from tafel.decisions.models import Decision, DecisionLink
from tafel.meetings import agenda as meeting_agenda
from tafel.meetings import lifecycle as meeting_lifecycle
from tafel.reference.models import Ministry
from tafel.responses.models import Response
from tests.decisions.factories import ministry
from tests.factories import make_org, make_submission, make_user
from tests.meetings.factories import make_meeting


def ministry_user(slug: str = "EZK", email: str | None = None, **fields):
    """A departement user of the ministry `slug`."""
    org = make_org("ministerie", ministry=ministry(slug), name=f"Ministerie {slug}")
    return make_user(email=email, roles=("departement",), org=org, **fields)


def due_submission(slug: str = "EZK", days: int = 30, **fields):
    """An accepted submission of `slug` with its response due in `days` days."""
    fields.setdefault("status", "aanvaard")
    fields.setdefault("visibility", "tafel")
    return make_submission(
        ministry_id=ministry(slug).id,
        response_deadline=local_today() + timedelta(days=days),
        **fields,
    )


def make_response(sub, status: str = "concept", outcome: str | None = "overnemen", **fields):
    """A response row in `status`, as the services would leave it."""
    response = Response(
        submission_id=sub.id,
        ministry_id=sub.ministry_id,
        due_date=sub.response_deadline,
        status=status,
        outcome=outcome,
        explanation=fields.pop("explanation", "Zo doen we het."),
        measures=fields.pop("measures", ""),
        **fields,
    )
    if status != "concept":
        response.submitted_at = utcnow()
    if status == "gepubliceerd":
        response.published_at = utcnow()
    db.session.add(response)
    db.session.commit()
    return response


def make_decision(subs, secretariat=None, outcome: str = "overnemen") -> Decision:
    """A decision on a held meeting's decision item, about `subs`."""
    secretariat = secretariat or make_user(roles=("secretariaat",))
    meeting = make_meeting(secretariat, days=-0.01)
    item = meeting_agenda.add_item(
        meeting,
        secretariat,
        title="Besluitvorming",
        kind="besluitvorming",
        duration_minutes=15,
        presenter="",
        description="",
    )
    meeting_lifecycle.publish(meeting, secretariat, accept_overlap=True)
    meeting_lifecycle.mark_held(meeting, secretariat)
    db.session.flush()
    year = utcnow().year
    count = db.session.query(Decision).filter(Decision.year == year).count()
    decision = Decision(
        number=f"B-{year}-{count + 1:03d}",
        year=year,
        sequence=count + 1,
        meeting_id=meeting.id,
        agenda_item_id=item.id,
        text="De tafel besluit.",
        outcome=outcome,
        explanation="",
        public=all(sub.visibility == "openbaar" for sub in subs),
        created_by_id=secretariat.id,
    )
    decision.links = [DecisionLink(submission_id=sub.id) for sub in subs]
    db.session.add(decision)
    db.session.commit()
    return decision


def make_action(
    *,
    response=None,
    decision=None,
    owner=None,
    status: str = "gepland",
    days: int = 30,
    creator=None,
    description: str = "Regeling aanpassen",
) -> ActionItem:
    """An action item from `response` or `decision`, owned by `owner` (a
    Ministry, an Organisation or a User)."""
    from tafel.accounts.models import Organisation, User

    creator = creator or make_user(roles=("secretariaat",))
    action = ActionItem(
        response_id=response.id if response is not None else None,
        decision_id=decision.id if decision is not None else None,
        description=description,
        due_date=local_today() + timedelta(days=days),
        status=status,
        created_by_id=creator.id,
        completed_at=utcnow() if status in ("gerealiseerd", "vervallen") else None,
    )
    if isinstance(owner, Ministry):
        action.owner_ministry_id = owner.id
    elif isinstance(owner, Organisation):
        action.owner_organisation_id = owner.id
    elif isinstance(owner, User):
        action.owner_user_id = owner.id
    db.session.add(action)
    db.session.commit()
    return action
