"""Forms for recording a decision, amending it and the motion vote."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tafel.core.forms import REQUIRED, MultiCheckboxField, as_choices, optional_int, strip
from tafel.core.once import OnceForm
from tafel.decisions.models import CHOICE_LABELS, MAJORITY_LABELS, OUTCOME_LABELS


class DecisionForm(OnceForm, FlaskForm):
    text = TextAreaField(
        _l("Tekst van het besluit"),
        filters=[strip],
        validators=[DataRequired(_l("Schrijf de tekst van het besluit.")), Length(max=10000)],
    )
    outcome = RadioField(
        _l("Uitkomst"),
        choices=as_choices(OUTCOME_LABELS),
        validators=[InputRequired(_l("Kies een uitkomst."))],
    )
    explanation = TextAreaField(
        _l("Toelichting"),
        description=_l("Verplicht bij ‘deels overnemen’ en ‘niet overnemen’."),
        filters=[strip],
        validators=[Optional(), Length(max=10000)],
    )
    ministry = SelectField(_l("Verantwoordelijk ministerie"), coerce=optional_int)
    organisation = SelectField(_l("Of verantwoordelijke organisatie"), coerce=optional_int)
    submissions = MultiCheckboxField(_l("Meldingen waarover dit besluit gaat"), coerce=int)
    with_motion = BooleanField(_l("De tafel stemt over dit besluit"))
    majority = RadioField(_l("Meerderheid"), choices=as_choices(MAJORITY_LABELS), default="simple")
    quorum = IntegerField(
        _l("Quorum: aantal aanwezige leden dat nodig is"),
        default=3,
        validators=[Optional(), NumberRange(min=1, max=500)],
    )


class AmendmentForm(OnceForm, FlaskForm):
    text = TextAreaField(
        _l("Wijziging"),
        description=_l(
            "De oorspronkelijke tekst blijft staan; de wijziging komt er gedateerd onder."
        ),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=10000)],
    )


class VoteForm(FlaskForm):
    choice = RadioField(
        _l("Uw stem"),
        choices=as_choices(CHOICE_LABELS),
        validators=[InputRequired(_l("Kies voor, tegen of onthouding."))],
    )


class RecusalForm(FlaskForm):
    reason = TextAreaField(
        _l("Welk belang heeft u?"),
        filters=[strip],
        validators=[DataRequired(_l("Geef aan welk belang u heeft.")), Length(max=2000)],
    )


class PageShowsRefusal:
    """The "form" for `commit_or_refuse` where the page shows the refusal itself
    (from `done.error`: beside the motion vote here, on the closing page in
    tafel.actions): the message goes neither to a form field nor to a flash."""

    def __init__(self) -> None:
        self.form_errors: list[str] = []

    def __contains__(self, name) -> bool:
        return False
