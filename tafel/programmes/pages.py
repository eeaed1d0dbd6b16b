"""Loading and rendering the programme pages (shared by the views modules)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts.models import Organisation
from tafel.core.forms import as_choices, reference_choices
from tafel.core.timefmt import local_today
from tafel.programmes import policies, queries
from tafel.programmes.forms import ActionForm
from tafel.programmes.models import (
    Dimension,
    FundingSource,
    FundingStatus,
    Instrument,
    Programme,
    ProgrammeAction,
    ProgressUpdate,
    SubmissionLink,
)
from tafel.reference.models import ActionLine, Ministry, Mission, Technology
from tafel.reference.services import active_choices
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission


def load_programme(slug: str) -> Programme:
    programme = db.session.scalar(
        select(Programme)
        .where(Programme.slug == slug)
        .options(
            selectinload(Programme.goals),
            selectinload(Programme.lead_ministry),
            selectinload(Programme.ez_lead),
        )
    )
    if programme is None or not policies.can_view_programme(current_user, programme):
        abort(404)
    return programme


def load_action(action_id: int) -> ProgrammeAction:
    action = db.session.scalar(
        select(ProgrammeAction)
        .where(ProgrammeAction.id == action_id)
        .options(
            *queries.action_options(),
            selectinload(ProgrammeAction.programme),
            selectinload(ProgrammeAction.impacts),
            selectinload(ProgrammeAction.organisations),
            selectinload(ProgrammeAction.ministries),
            selectinload(ProgrammeAction.technologies),
            selectinload(ProgrammeAction.missions),
            selectinload(ProgrammeAction.instruments),
            selectinload(ProgrammeAction.updates).selectinload(ProgressUpdate.author),
        )
    )
    if action is None or not policies.can_view_action(current_user, action):
        abort(404)
    return action


def set_choices(form: ActionForm) -> None:
    blank = "—"
    form.action_line.choices = reference_choices(active_choices(ActionLine), blank)
    form.funding_source.choices = reference_choices(active_choices(FundingSource), blank)
    form.funding_status.choices = reference_choices(active_choices(FundingStatus), blank)
    ministries = active_choices(Ministry)
    form.lead_ministry.choices = reference_choices(ministries, blank)
    form.ministries.choices = reference_choices(ministries)
    organisations = list(
        db.session.scalars(
            select(Organisation).where(Organisation.verified.is_(True)).order_by(Organisation.name)
        )
    )
    pairs = [("", blank), *((o.id, o.name) for o in organisations)]
    form.lead_organisation.choices = as_choices(pairs)
    form.organisations.choices = as_choices([(o.id, o.name) for o in organisations])
    form.technologies.choices = reference_choices(active_choices(Technology))
    form.missions.choices = reference_choices(active_choices(Mission))
    form.instruments.choices = reference_choices(active_choices(Instrument))


def render_programme(programme: Programme, status: int = 200, goal_form=None):
    from tafel.programmes.forms import GoalForm
    from tafel.programmes.management import indicator_choices

    view = queries.programme_view(current_user, programme, local_today())
    manage = policies.can_manage_programmes(current_user)
    if manage and goal_form is None:
        goal_form = GoalForm()
        goal_form.indicator.choices = as_choices([("", "—"), *indicator_choices()])
    return (
        render_template(
            "programmes/detail.html",
            view=view,
            programme=programme,
            can_edit=policies.can_edit_actions(current_user, programme),
            can_manage=manage,
            goal_form=goal_form,
            today=local_today(),
        ),
        status,
    )


def render_form(programme: Programme, form: ActionForm, action=None, impacts=None, status=200):
    return (
        render_template(
            "programmes/action_form.html",
            programme=programme,
            form=form,
            action=action,
            dimensions=active_choices(Dimension),
            impacts=impacts or {},
        ),
        status,
    )


def linked_submissions(user, action: ProgrammeAction) -> list[Submission]:
    return list(
        db.session.scalars(
            select(Submission)
            .join(SubmissionLink, SubmissionLink.submission_id == Submission.id)
            .where(SubmissionLink.action_id == action.id, submission_policies.visible_clause(user))
            .order_by(Submission.id)
        )
    )


def render_action(action: ProgrammeAction, status: int = 200, **forms):
    from tafel.programmes.forms import DecisionLinkForm, LinkForm, MilestoneForm, ProgressForm
    from tafel.programmes.services import decisions_of

    forms.setdefault("milestone_form", MilestoneForm())
    forms.setdefault("progress_form", ProgressForm())
    forms.setdefault("link_form", LinkForm())
    forms.setdefault("decision_form", DecisionLinkForm())
    return (
        render_template(
            "programmes/action.html",
            action=action,
            programme=action.programme,
            can_edit=policies.can_update_action(current_user, action),
            can_link=policies.can_link_submissions(current_user),
            submissions=linked_submissions(current_user, action),
            decisions=decisions_of(action),
            dimensions=active_choices(Dimension),
            today=local_today(),
            **forms,
        ),
        status,
    )
