"""Forms for a ministry's response and its review by the secretariat."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tafel.core.forms import as_choices, strip
from tafel.core.once import OnceForm
from tafel.decisions.models import OUTCOME_LABELS


class ResponseForm(OnceForm, FlaskForm):
    # The service checks the choice: a concept may be saved without one.
    outcome = RadioField(_l("Uitkomst"), choices=as_choices(OUTCOME_LABELS), validate_choice=False)
    explanation = TextAreaField(
        _l("Toelichting"),
        description=_l("Verplicht bij ‘deels overnemen’ en ‘niet overnemen’."),
        filters=[strip],
        validators=[Optional(), Length(max=10000)],
    )
    measures = TextAreaField(
        _l("Voorgenomen maatregelen"),
        description=_l("Wat het ministerie gaat doen, en wanneer."),
        filters=[strip],
        validators=[Optional(), Length(max=10000)],
    )

    def values(self) -> dict:
        outcome = self.outcome.data if self.outcome.data in OUTCOME_LABELS else None
        return {
            "outcome": outcome,
            "explanation": self.explanation.data or "",
            "measures": self.measures.data or "",
        }


class ReturnForm(FlaskForm):
    note = TextAreaField(
        _l("Wat moet het ministerie aanpassen?"),
        filters=[strip],
        validators=[
            DataRequired(_l("Schrijf wat het ministerie moet aanpassen.")),
            Length(max=5000),
        ],
    )


class PublishForm(FlaskForm):
    pass
