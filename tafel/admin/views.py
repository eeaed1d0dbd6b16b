"""Beheer: users, organisations, reference data, the audit log and undeliverable mail."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from tafel import db
from tafel.accounts import sectorleads, services
from tafel.accounts.forms import OrganisationAdminForm, UserAdminForm
from tafel.accounts.models import AccessRequest, Organisation, User
from tafel.accounts.policies import (
    can_manage_organisations,
    can_manage_reference,
    can_manage_users,
    can_read_audit_log,
    can_read_object_audit,
)
from tafel.accounts.roles import ROLE_LABELS, ROLES, is_admin
from tafel.admin import audit_access
from tafel.admin.blueprint import admin
from tafel.core import mail
from tafel.core.forms import as_choices, client_ip, reference_choices
from tafel.core.models import AuditEntry, MailMessage
from tafel.core.pagination import paginate
from tafel.core.permissions import recent_login, requires
from tafel.core.views import commit_or_refuse
from tafel.reference import services as reference_services
from tafel.reference.forms import ReferenceEntryForm
from tafel.reference.models import KIND_LABELS, KINDS, OrganisationType, Province


def _search(query, *columns):
    term = (request.args.get("q") or "").strip()
    if term:
        pattern = f"%{term.lower()}%"
        query = query.where(or_(*(func.lower(col).like(pattern) for col in columns)))
    return query, term


@admin.route("/")
@requires(can_manage_organisations)
def index():
    counts = {
        "users": db.session.scalar(select(func.count(User.id))),
        "organisations": db.session.scalar(select(func.count(Organisation.id))),
        "unverified": db.session.scalar(
            select(func.count(Organisation.id)).where(Organisation.verified.is_(False))
        ),
        "access_requests": db.session.scalar(
            select(func.count(AccessRequest.id)).where(AccessRequest.decided_at.is_(None))
        ),
    }
    return render_template(
        "admin/index.html",
        counts=counts,
        kind_labels=KIND_LABELS,
        leaderless=sectorleads.sectors_without_lead(),
    )


# Users ------------------------------------------------------------------------------


@admin.route("/users")
@requires(can_manage_users)
def users():
    query, term = _search(select(User).order_by(User.email), User.email, User.name)
    page = paginate(query)
    return render_template("admin/users.html", page=page, q=term, role_labels=ROLE_LABELS)


@admin.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(can_manage_users)
@recent_login  # roles and e-mail addresses: the password again first
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserAdminForm(obj=user)
    _user_choices(form, user)
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            services.update_user(
                user,
                current_user,
                name=form.name.data,
                roles=set(form.roles.data or []),
                active=form.active.data,
                ip=client_ip(),
            )
        if done:
            flash(_("De gegevens van %(email)s zijn opgeslagen.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = 422 if request.method == "POST" else 200
    history = _history(user)
    return render_template("admin/user_edit.html", form=form, user=user, history=history), status


def _user_choices(form, user: User) -> None:
    """The roles to tick; on first show, the user's roles and state."""
    form.roles.choices = as_choices([(role, ROLE_LABELS[role]) for role in ROLES])
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.active.data = user.active


# Organisations ----------------------------------------------------------------------


@admin.route("/organisations")
@requires(can_manage_organisations)
def organisations():
    status = request.args.get("status", "all")
    query = select(Organisation).order_by(Organisation.verified, Organisation.created_at.desc())
    if status == "unverified":
        query = query.where(Organisation.verified.is_(False))
    elif status == "verified":
        query = query.where(Organisation.verified.is_(True))
    query, term = _search(query, Organisation.name, Organisation.kvk)
    page = paginate(query)
    return render_template("admin/organisations.html", page=page, q=term, status=status)


def _organisation_choices(form) -> None:
    form.org_type.choices = reference_choices(
        reference_services.active_choices(OrganisationType), blank=_("Kies een soort")
    )
    form.province.choices = reference_choices(
        reference_services.active_choices(Province), blank=_("Geen provincie")
    )


@admin.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@requires(can_manage_organisations)
def edit_organisation(org_id: int):
    org = db.session.get(Organisation, org_id) or abort(404)
    form = OrganisationAdminForm(obj=org)
    _organisation_choices(form)
    if request.method == "GET":
        form.org_type.data = org.org_type_id
        form.province.data = org.province_id
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            services.update_organisation(
                org, current_user, **_organisation_values(form), ip=client_ip()
            )
        if done:
            flash(_("De organisatie %(name)s is opgeslagen.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    status = 422 if request.method == "POST" else 200
    return render_organisation(form, org), status


def _organisation_values(form) -> dict:
    """The organisation form's answers, as `update_organisation` takes them."""
    province = form.province.data
    return {
        "name": form.name.data,
        "org_type": db.session.get(OrganisationType, form.org_type.data),
        "kvk": form.kvk.data,
        "province": db.session.get(Province, province) if province else None,
        "city": form.city.data,
    }


def render_organisation(form, org: Organisation) -> str:
    members = db.session.scalars(
        select(User).where(User.organisation_id == org.id).order_by(User.email)
    ).all()
    return render_template(
        "admin/organisation_edit.html",
        form=form,
        org=org,
        members=members,
        history=_history(org),
    )


@admin.route("/organisations/<int:org_id>/verify", methods=["POST"])
@requires(can_manage_organisations)
def verify_organisation(org_id: int):
    org = db.session.get(Organisation, org_id) or abort(404)
    verified = request.form.get("verified") == "1"
    services.set_organisation_verified(org, current_user, verified, ip=client_ip())
    db.session.commit()
    if verified:
        flash(_("%(name)s is geverifieerd.", name=org.name), "success")
    else:
        flash(_("De verificatie van %(name)s is ingetrokken.", name=org.name), "success")
    return redirect(url_for("admin.edit_organisation", org_id=org.id))


@admin.route("/access-requests")
@requires(can_manage_organisations)
def access_requests():
    query = (
        select(AccessRequest)
        .where(AccessRequest.decided_at.is_(None))
        .order_by(AccessRequest.created_at)
    )
    return render_template("admin/access_requests.html", page=paginate(query))


@admin.route("/access-requests/<int:request_id>", methods=["POST"])
@requires(can_manage_organisations)
def decide_access_request(request_id: int):
    row = db.session.get(AccessRequest, request_id) or abort(404)
    approve = request.form.get("decision") == "approve"
    with commit_or_refuse() as done:
        services.decide_access_request(row, current_user, approve, ip=client_ip())
    if done:
        if approve:
            flash(_("%(email)s heeft nu een account.", email=row.email), "success")
        else:
            flash(_("Het verzoek van %(email)s is afgewezen.", email=row.email), "success")
    return redirect(url_for("admin.access_requests"))


# Reference data ---------------------------------------------------------------------


def _kind_model(kind: str):
    model = KINDS.get(kind)
    if model is None:
        abort(404)
    return model


@admin.route("/reference/<kind>")
@requires(can_manage_reference)
def reference_list(kind: str):
    model = _kind_model(kind)
    entries = db.session.scalars(select(model).order_by(model.position, model.id)).all()
    return render_template(
        "admin/reference_list.html", kind=kind, kind_label=KIND_LABELS[kind], entries=entries
    )


@admin.route("/reference/<kind>/<int:entry_id>", methods=["GET", "POST"])
@requires(can_manage_reference)
def reference_edit(kind: str, entry_id: int):
    model = _kind_model(kind)
    entry = db.session.get(model, entry_id) or abort(404)
    form = ReferenceEntryForm(obj=entry)
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            reference_services.update_entry(
                entry,
                current_user,
                label_nl=form.label_nl.data,
                label_en=form.label_en.data,
                active=form.active.data,
            )
        if done:
            flash(_("%(label)s is opgeslagen.", label=entry.label_nl), "success")
            return redirect(url_for("admin.reference_list", kind=kind))
    status = 422 if request.method == "POST" else 200
    return render_reference_entry(form, entry, kind), status


def render_reference_entry(form, entry, kind: str) -> str:
    return render_template(
        "admin/reference_edit.html",
        form=form,
        entry=entry,
        kind=kind,
        kind_label=KIND_LABELS[kind],
    )


# Audit log --------------------------------------------------------------------------


def _history(obj) -> list[AuditEntry]:
    return db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(50)
    ).all()


# Objects whose trail the secretariat may read, by the name the audit log stores.
AUDITED = (
    "Submission",
    "Meeting",
    "AgendaItem",
    "Decision",
    "Response",
    "ActionItem",
    "PriorityRound",
    "Comment",
    "Attachment",
    "MeetingDocument",
)


@admin.route("/audit/<object_type>/<int:object_id>")
@requires(can_read_object_audit)
def object_audit(object_type: str, object_id: int):
    # As the object's own page: 404 for an object the reader may not see.
    if object_type not in AUDITED or not audit_access.may_see_object(
        current_user, object_type, object_id
    ):
        abort(404)
    query = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    page = paginate(query, per_page=50)
    return render_template(
        "admin/audit.html",
        page=page,
        rows=audit_access.shown_entries(current_user, page.items),
        object_type=object_type,
        object_id=object_id,
    )


@admin.route("/audit")
@requires(can_read_audit_log)
def audit_log():
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    page = paginate(query, per_page=50)
    rows = audit_access.shown_entries(current_user, page.items)
    return render_template("admin/audit.html", page=page, rows=rows)


# Mail that could not be delivered ---------------------------------------------------------


@admin.route("/mail")
@requires(is_admin)
def mail_outbox():
    return render_template(
        "admin/mail.html",
        page=paginate(mail.dead_messages()),
        state=mail.outbox_state(),
        max_attempts=mail.MAX_ATTEMPTS,
    )


@admin.route("/mail/<int:message_id>/requeue", methods=["POST"])
@requires(is_admin)
def requeue_mail(message_id: int):
    message = db.session.get(MailMessage, message_id) or abort(404)
    with commit_or_refuse() as done:
        mail.requeue(message, current_user, ip=client_ip())
    if done:
        flash(
            _("Het bericht aan %(email)s wordt opnieuw verstuurd.", email=message.recipient),
            "success",
        )
    return redirect(url_for("admin.mail_outbox"))
