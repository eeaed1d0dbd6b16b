"""Forms for international files, their key dates and links."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tafel.core.forms import MAX_ID, MultiCheckboxField, as_choices, optional_int, strip
from tafel.core.once import OnceForm
from tafel.international.models import KIND_LABELS, STATUS_LABELS
from tafel.programmes.models import VISIBILITY_LABELS

VISIBILITY = VISIBILITY_LABELS  # the same three levels and words as programmes


class FileForm(OnceForm, FlaskForm):
    title = StringField(
        _l("Titel"),
        filters=[strip],
        validators=[DataRequired(_l("Geef het dossier een titel.")), Length(max=300)],
    )
    kind = SelectField(_l("Soort"), choices=as_choices(KIND_LABELS))
    celex = StringField(_l("CELEX-nummer"), filters=[strip], validators=[Length(max=20)])
    com_number = StringField(_l("COM-nummer"), filters=[strip], validators=[Length(max=30)])
    countries = StringField(
        _l("Landen"),
        description=_l("ISO 3166-1-codes, gescheiden door komma's, zoals DE, FR."),
        filters=[strip],
        validators=[Length(max=500)],
    )
    markets = MultiCheckboxField(_l("Markten"), coerce=int)
    lead_ministry = SelectField(_l("Trekkend ministerie"), coerce=optional_int)
    position = TextAreaField(
        _l("Nederlandse positie"), filters=[strip], validators=[Length(max=10000)]
    )
    note = TextAreaField(_l("Toelichting"), filters=[strip], validators=[Length(max=5000)])
    status = SelectField(_l("Stand"), choices=as_choices(STATUS_LABELS))
    visibility = RadioField(
        _l("Zichtbaarheid"),
        choices=as_choices(VISIBILITY),
        default="openbaar",
        description=_l("Een strategische afhankelijkheid is altijd vertrouwelijk."),
    )


class DateForm(OnceForm, FlaskForm):
    title = StringField(
        _l("Wat"),
        filters=[strip],
        validators=[DataRequired(_l("Beschrijf de datum.")), Length(max=300)],
    )
    day = DateField(_l("Datum"), validators=[InputRequired(_l("Vul een geldige datum in."))])
    deadline = BooleanField(_l("Dit is een deadline"))


class LinkForm(FlaskForm):
    kind = SelectField(
        _l("Koppelen aan"),
        choices=as_choices(
            [
                ("submission", _l("Melding")),
                ("decision", _l("Besluit")),
                ("action", _l("Programma-actie")),
            ]
        ),
    )
    number = IntegerField(
        _l("Nummer"),
        validators=[
            InputRequired(_l("Vul een nummer in.")),
            NumberRange(1, MAX_ID, _l("Er is niets met dit nummer.")),
        ],
    )


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(
        _l("Soort"),
        choices=as_choices([("", _l("Alle")), *KIND_LABELS.items()]),
        validators=[Optional()],
    )
    soon = BooleanField(_l("Alleen met een deadline binnen 30 dagen"))
