"""The beheerder's webhooks page (`/api/webhooks`): register a receiver (its
secret is shown once), switch one off, and the latest deliveries with their
last status."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tafel import db
from tafel.accounts import roles
from tafel.api import webhooks
from tafel.api.blueprint import api
from tafel.api.forms import WebhookForm
from tafel.api.models import Webhook
from tafel.core.audit import record
from tafel.core.once import create_once
from tafel.core.permissions import requires
from tafel.core.views import commit_or_refuse


def render_hooks(form=None, secret: str | None = None, status: int = 200):
    hooks = db.session.scalars(
        select(Webhook).order_by(Webhook.active.desc(), Webhook.id.desc())
    ).all()
    page = render_template("api/webhooks.html", form=form or WebhookForm(), hooks=hooks,
                           deliveries=webhooks.last_deliveries(), secret=secret)  # fmt: skip
    return page, status


@api.route("/webhooks", methods=["GET", "POST"])
@requires(roles.is_admin)
def webhooks_page():
    if request.method == "GET":
        return render_hooks()
    form = WebhookForm()
    if not form.validate_on_submit():
        return render_hooks(form, status=422)
    shown: list[str] = []

    def make() -> Webhook:
        hook, secret = webhooks.register(form.url.data, form.events.data, current_user)
        shown.append(secret)
        return hook

    made = create_once(form, "webhook", make)
    if made.first:
        return render_hooks(secret=shown[0], status=201)
    return redirect(url_for("api.webhooks_page")) if made else render_hooks(form, status=422)


@api.route("/webhooks/<int:hook_id>/off", methods=["POST"])
@requires(roles.is_admin)
def webhook_off(hook_id: int):
    hook = db.session.get(Webhook, hook_id)
    if hook is None:
        abort(404)
    with commit_or_refuse() as done:
        if hook.active:
            hook.active = False
            record("webhook.off", hook, current_user)
    if done:
        flash(_("De webhook is uitgezet."), "success")
    return redirect(url_for("api.webhooks_page"))
