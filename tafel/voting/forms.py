"""The forms to create and extend a round. Ballots are read from the request
by the view, because their fields depend on the round's candidates and method;
`BallotForm` only carries a refused ballot's reason back to the page."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tafel.core.forms import REQUIRED, MultiCheckboxField, as_choices, strip
from tafel.core.once import OnceForm
from tafel.core.timefmt import local_to_utc


def to_utc(local: datetime | None) -> datetime | None:
    """A time entered in Dutch local time, as an aware UTC timestamp."""
    return None if local is None else local_to_utc(local)


class RoundForm(OnceForm, FlaskForm):
    title = StringField(
        _l("Titel"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    explanation = TextAreaField(
        _l("Toelichting voor de tafelleden"),
        filters=[strip],
        validators=[Optional(), Length(max=5000)],
    )
    method = RadioField(
        _l("Stemwijze"),
        choices=as_choices(
            {
                "approval": _l("Goedkeuren: elk lid kiest hoogstens k kandidaten"),
                "dot": _l("Punten verdelen: elk lid verdeelt N punten, hoogstens m per kandidaat"),
                "ranked": _l("Rangschikken: elk lid zet kandidaten op volgorde (Schulze)"),
                "score": _l("Cijfer geven: elk lid geeft elke kandidaat 0 tot 5"),
            }
        ),
        validators=[InputRequired(REQUIRED)],
        default="dot",
    )
    approvals = IntegerField(
        _l("Goedkeuren: hoogstens zoveel kandidaten (k)"),
        default=3,
        validators=[Optional(), NumberRange(min=1, max=50)],
    )
    points = IntegerField(
        _l("Punten verdelen: punten per lid (N)"),
        default=10,
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    max_per_candidate = IntegerField(
        _l("Punten verdelen: hoogstens per kandidaat (m)"),
        default=5,
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    opens_at = DateTimeLocalField(
        _l("Opent op (Nederlandse tijd)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Vul een datum en tijd in."))],
    )
    closes_at = DateTimeLocalField(
        _l("Sluit op (Nederlandse tijd)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Vul een datum en tijd in."))],
    )
    secret = BooleanField(_l("Geheime stemming (wie wat stemde wordt niet bewaard)"), default=True)
    quorum_percent = IntegerField(
        _l("Quorum: percentage van de stemgerechtigden"),
        default=50,
        validators=[InputRequired(REQUIRED), NumberRange(min=0, max=100)],
    )
    candidates = MultiCheckboxField(_l("Kandidaten"), coerce=int)

    def params(self) -> dict:
        if self.method.data == "approval":
            return {"k": self.approvals.data or 3}
        if self.method.data == "dot":
            return {
                "total": self.points.data or 10,
                "max_per_candidate": self.max_per_candidate.data or 5,
            }
        return {}


class ExtendForm(FlaskForm):
    closes_at = DateTimeLocalField(
        _l("Nieuwe sluitingstijd (Nederlandse tijd)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Vul een datum en tijd in."))],
    )


class BallotForm(FlaskForm):
    """The ballot as a whole: a refusal lands in `form_errors` (the round page
    shows it in its own summary above the ballot, not as a flash message)."""
