"""The notifications page and the unread count in the header."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tafel import db
from tafel.core.pagination import paginate
from tafel.notifications import services
from tafel.notifications.blueprint import notifications
from tafel.notifications.models import Notification


@notifications.app_context_processor
def unread_notifications():
    def count() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user)

    return {"unread_notifications": count}


@notifications.route("/")
@login_required
def index():
    query = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc())
    )
    return render_template("notifications/index.html", page=paginate(query))


@notifications.route("/read", methods=["POST"])
@login_required
def mark_read():
    services.mark_all_read(current_user)
    db.session.commit()
    flash(_("Alle berichten zijn als gelezen gemarkeerd."), "success")
    return redirect(url_for("notifications.index"))
