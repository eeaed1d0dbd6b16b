"""When minutes are approved, every member and the submitters of the reports
on that meeting's agenda get them by mail, with the decisions taken and the
action items created, each reader only what they may read (signal
`core.signals.minutes_approved`, sent by meetings; decisions and action items
are read here, in the higher feature)."""

from __future__ import annotations

from flask_babel import gettext as _

from tafel.actions import policies
from tafel.actions.services import owner_label
from tafel.core.i18n import in_platform_language
from tafel.core.signals import minutes_approved
from tafel.core.timefmt import local_day
from tafel.decisions import policies as decision_policies
from tafel.decisions import queries as decision_queries
from tafel.decisions.models import OUTCOME_LABELS
from tafel.meetings.base import meeting_path, members
from tafel.meetings.models import Meeting
from tafel.notifications.services import notify
from tafel.submissions.workflow import submitter_recipients


def recipients(meeting: Meeting) -> list:
    people = {user.id: user for user in members()}
    for item in meeting.items:
        for link in item.links:
            for user in submitter_recipients(link.submission):
                people.setdefault(user.id, user)
    return sorted(people.values(), key=lambda u: (u.name, u.id))


def body_for(user, meeting: Meeting, decisions: list) -> str:
    lines = [
        _(
            "De notulen van ‘%(title)s’ van %(day)s zijn vastgesteld.",
            title=meeting.title,
            day=local_day(meeting.starts_at),
        )
    ]
    shown = [d for d in decisions if decision_policies.can_view_decision(user, d)]
    if shown:
        lines += ["", _("Besluiten") + ":"]
        for d in shown:
            lines.append(f"- {d.number} ({OUTCOME_LABELS[d.outcome]}): {d.text.strip()[:300]}")
    actions = [a for d in shown for a in d.actions if policies.can_view_action(user, a)]
    if actions:
        lines += ["", _("Actiepunten") + ":"]
        for a in actions:
            lines.append(
                f"- {a.description.strip()[:200]} · {owner_label(a)} · "
                + _("uiterlijk %(day)s", day=local_day(a.due_date))
            )
    return "\n".join(lines)


@minutes_approved.connect
def mail_minutes(meeting: Meeting, actor=None, **_extra) -> None:
    decisions = decision_queries.decisions_of_meeting(meeting.id)
    with in_platform_language():
        title = _("Notulen vastgesteld: vergadering van %(day)s", day=local_day(meeting.starts_at))
        for user in recipients(meeting):
            notify(user, title, meeting_path(meeting), body_for(user, meeting, decisions))
