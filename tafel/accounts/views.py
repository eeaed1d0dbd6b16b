"""Login, logout, registration, password reset and the user's own account page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from tafel import db
from tafel.accounts import forms, policies, services
from tafel.accounts.blueprint import account, auth
from tafel.accounts.loader import current_token, remember
from tafel.accounts.models import UserSession
from tafel.accounts.roles import ROLE_LABELS
from tafel.accounts.services import sessions
from tafel.accounts.services.registration import GOVERNMENT_TYPES
from tafel.core.forms import client_ip, reference_choices, safe_next
from tafel.core.permissions import mark_confirmed
from tafel.core.views import commit_or_refuse
from tafel.reference.models import OrganisationType, Province
from tafel.reference.services import active_choices


def _start_session(user) -> None:
    # A fresh session on login: nothing from before survives (session fixation).
    # Its server-side record is what logging out ends.
    session.clear()
    login_user(user)
    session.permanent = True
    token = sessions.start_session(user, client_ip(), request.user_agent.string)
    remember(token)
    mark_confirmed()  # a fresh login counts as a recent confirmation
    db.session.commit()


@auth.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(policies.landing_url(current_user))
    form = forms.LoginForm()
    if form.validate_on_submit():
        return _attempt_login(form)
    status = 200
    if request.method == "POST":
        status = 400 if form.csrf_token.errors else 422
    return render_template("accounts/login.html", form=form), status


def _attempt_login(form):
    result = services.authenticate(form.email.data, form.password.data, client_ip())
    if result.throttled:
        form.form_errors.append(_throttled_message(result.retry_minutes))
        return render_template("accounts/login.html", form=form), 429
    if result.user is None:
        db.session.commit()  # a failed attempt is kept too: the throttle counts it
        form.form_errors.append(_("Het e-mailadres of het wachtwoord klopt niet."))
        return render_template("accounts/login.html", form=form), 401
    next_url = safe_next(request.args.get("next"))
    _start_session(result.user)
    return redirect(next_url or policies.landing_url(result.user))


def _throttled_message(minutes: int) -> str:
    return ngettext(
        "Te veel mislukte inlogpogingen. Probeer het over %(num)d minuut opnieuw, "
        "of kies hieronder een nieuw wachtwoord.",
        "Te veel mislukte inlogpogingen. Probeer het over %(num)d minuten opnieuw, "
        "of kies hieronder een nieuw wachtwoord.",
        minutes,
    )


@auth.route("/confirm", methods=["GET", "POST"])
@login_required
def confirm():
    """Re-authentication before a sensitive action: the password again. A wrong
    password counts towards the login throttle like any other."""
    form = forms.ConfirmPasswordForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(current_user.email, form.password.data, client_ip())
        db.session.commit()  # the attempt is kept: the throttle counts it
        if result.user is not None and result.user.id == current_user.id:
            mark_confirmed()
            return redirect(safe_next(request.args.get("next")) or url_for("account.overview"))
        form.password.errors = [
            _throttled_message(result.retry_minutes)
            if result.throttled
            else _("Dit wachtwoord klopt niet.")
        ]
        status = 429 if result.throttled else 401
    return render_template("accounts/confirm.html", form=form), status


@auth.route("/logout", methods=["POST"])
def logout():
    row = sessions.find_session(current_token()) if current_user.is_authenticated else None
    if row is not None:
        # Server-side: a copy of this cookie no longer opens anything.
        sessions.end_session(row, current_user._get_current_object(), ip=client_ip())
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("main.home"))


def _registration_choices(form) -> None:
    form.org_type.choices = reference_choices(
        [t for t in active_choices(OrganisationType) if t.slug not in GOVERNMENT_TYPES],
        blank=_("Kies een soort"),
    )
    form.province.choices = reference_choices(
        active_choices(Province), blank=_("Kies een provincie")
    )


@auth.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("account.overview"))
    form = forms.RegistrationForm()
    _registration_choices(form)
    access_url, refusal = None, None
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            services.register_organisation(**_registration(form), ip=client_ip())
        if done:
            # The same answer whether or not the address already had an
            # account: its owner learns which by mail (no enumeration).
            return render_template("accounts/registered.html", email=form.email.data)
        refusal = done.error
        if getattr(refusal, "code", None) == "duplicate_kvk":
            access_url = url_for("auth.request_access", kvk=form.kvk.data)
    status = _refusal_status(refusal) if request.method == "POST" else 200
    return render_template("accounts/register.html", form=form, access_url=access_url), status


def _refusal_status(error) -> int:
    return 429 if getattr(error, "code", None) == "rate_limited" else 422


def _registration(form) -> dict:
    """The registration form's answers, as `register_organisation` takes them."""
    return {
        "org_name": form.org_name.data,
        "org_type": db.session.get(OrganisationType, form.org_type.data),
        "kvk": form.kvk.data,
        "province": db.session.get(Province, form.province.data),
        "user_name": form.name.data,
        "email": form.email.data,
        "password": form.password.data,
    }


@auth.route("/request-access", methods=["GET", "POST"])
def request_access():
    if current_user.is_authenticated:
        return redirect(url_for("account.overview"))
    form = forms.AccessRequestForm()
    if request.method == "GET" and request.args.get("kvk"):
        form.kvk.data = request.args["kvk"][:20]
    refusal = None
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            organisation, _row = services.request_access(
                kvk=form.kvk.data,
                name=form.name.data,
                email=form.email.data,
                password=form.password.data,
                message=form.message.data,
                ip=client_ip(),
            )
        if done:  # the same answer when the address was taken (told by mail)
            return render_template("accounts/access_requested.html", org=organisation)
        refusal = done.error
    status = _refusal_status(refusal) if request.method == "POST" else 200
    return render_template("accounts/request_access.html", form=form), status


@auth.route("/reset", methods=["GET", "POST"])
def request_reset():
    form = forms.ResetRequestForm()
    refusal = None
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            services.request_password_reset(form.email.data, ip=client_ip())
        if done:
            return render_template("accounts/reset_sent.html", email=form.email.data)
        refusal = done.error
    status = _refusal_status(refusal) if request.method == "POST" else 200
    return render_template("accounts/reset_request.html", form=form), status


@auth.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    row = services.valid_reset_token(token)
    if row is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            services.reset_password(row, form.password.data, ip=client_ip())
        if done:
            logout_user()
            session.clear()
            flash(_("Uw wachtwoord is gewijzigd. Log in met uw nieuwe wachtwoord."), "success")
            return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/reset_password.html", form=form), status


@account.route("/")
@login_required
def overview():
    return render_template(
        "accounts/overview.html",
        role_labels=ROLE_LABELS,
        sessions=sessions.open_sessions(current_user),
        this_session=sessions.find_session(current_token()),
    )


@account.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    this_one = row.token_hash == getattr(sessions.find_session(current_token()), "token_hash", "")
    if sessions.end_session(row, current_user._get_current_object(), ip=client_ip()):
        db.session.commit()
    if this_one:
        logout_user()
        session.clear()
        flash(_("U bent uitgelogd."), "success")
        return redirect(url_for("main.home"))
    flash(_("De sessie is beëindigd."), "success")
    return redirect(url_for("account.overview", _anchor="sessions-heading"))


@account.route("/mail", methods=["POST"])
@login_required
def mail_preference():
    choice = request.form.get("mail")
    if choice not in ("direct", "digest"):
        flash(_("Kies hoe u e-mail wilt ontvangen."), "error")
        return redirect(url_for("account.overview", _anchor="mail-heading"))
    services.set_mail_preference(current_user._get_current_object(), choice == "digest")
    db.session.commit()
    flash(
        _("U krijgt voortaan één dagelijkse samenvatting per e-mail.")
        if choice == "digest"
        else _("U krijgt voortaan elk bericht direct per e-mail."),
        "success",
    )
    return redirect(url_for("account.overview"))


@account.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            services.change_password(
                current_user, form.current_password.data, form.password.data, ip=client_ip()
            )
        if done:
            # Other sessions carry the old version and end; this one continues.
            _start_session(current_user._get_current_object())
            flash(_("Uw wachtwoord is gewijzigd. Andere sessies zijn beëindigd."), "success")
            return redirect(url_for("account.overview"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/change_password.html", form=form), status


@account.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    user = current_user._get_current_object()
    if user is None:
        abort(404)
    services.end_all_sessions(user, user, ip=client_ip())
    db.session.commit()
    _start_session(user)
    flash(_("U bent op alle andere apparaten uitgelogd."), "success")
    return redirect(url_for("account.overview"))
