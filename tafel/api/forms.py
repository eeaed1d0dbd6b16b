"""The beheerder's form for a webhook receiver."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import URLField
from wtforms.validators import DataRequired, Length

from tafel.api.webhooks import EVENTS
from tafel.core.forms import REQUIRED, MultiCheckboxField, as_choices, strip
from tafel.core.once import OnceForm


class WebhookForm(OnceForm, FlaskForm):
    url = URLField(_l("Adres (URL)"), filters=[strip],
                   validators=[DataRequired(REQUIRED), Length(max=500)])  # fmt: skip
    events = MultiCheckboxField(
        _l("Gebeurtenissen"),
        choices=as_choices([(kind, kind) for kind in EVENTS]),
        validators=[DataRequired(REQUIRED)],
    )
