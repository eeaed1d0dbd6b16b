"""The form for a new personal API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from tafel.accounts.tokens import MAX_DAYS
from tafel.core.forms import REQUIRED, as_choices, strip
from tafel.core.once import OnceForm


class TokenForm(OnceForm, FlaskForm):
    name = StringField(
        _l("Naam"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description=_l("Waarvoor u het token gebruikt, bijvoorbeeld uw zaaksysteem."),
    )
    scope = RadioField(
        _l("Rechten"),
        choices=as_choices(
            [
                ("read", _l("Alleen lezen")),
                ("write", _l("Lezen en schrijven (reacties opstellen, voortgang melden)")),
            ]
        ),
        default="read",
        validators=[DataRequired(REQUIRED)],
    )
    days = IntegerField(
        _l("Geldig (dagen)"),
        default=90,
        validators=[
            DataRequired(REQUIRED),
            NumberRange(1, MAX_DAYS, _l("Kies 1 tot %(max)d dagen.", max=MAX_DAYS)),
        ],
    )
