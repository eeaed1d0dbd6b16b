"""Personal API tokens on /account/tokens: made (the secret is shown once),
listed with their scope, expiry and last use, and revoked."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tafel import db
from tafel.accounts import tokens
from tafel.accounts.blueprint import account
from tafel.accounts.token_forms import TokenForm
from tafel.core.once import create_once
from tafel.core.views import commit_or_refuse


def render_tokens(form=None, secret: str | None = None, status: int = 200):
    user = current_user._get_current_object()
    return (
        render_template(
            "accounts/tokens.html",
            form=form or TokenForm(),
            tokens=tokens.tokens_of(user),
            secret=secret,
        ),  # fmt: skip
        status,
    )


@account.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    if request.method == "GET":
        return render_tokens()
    form = TokenForm()
    if not form.validate_on_submit():
        return render_tokens(form, status=422)
    shown: list[str] = []

    def make() -> tokens.ApiToken:
        token, secret = tokens.create_token(current_user, form.name.data, form.scope.data,
                                            form.days.data)  # fmt: skip
        shown.append(secret)
        return token

    made = create_once(form, "api_token", make)
    if made.first:
        return render_tokens(secret=shown[0], status=201)
    return redirect(url_for("account.api_tokens")) if made else render_tokens(form, status=422)


@account.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    token = db.session.get(tokens.ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    with commit_or_refuse() as done:
        tokens.revoke_token(token, current_user)
    if done:
        flash(_("Het token ‘%(name)s’ is ingetrokken.", name=token.name), "success")
    return redirect(url_for("account.api_tokens"))
