"""Forms for programme actions, their milestones and progress updates, and
for linking a report to an action."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tafel.core.forms import MAX_ID, MultiCheckboxField, as_choices, optional_int, strip
from tafel.core.once import OnceForm
from tafel.programmes.models import (
    ACTION_STATUS_LABELS,
    GOAL_STATUS_LABELS,
    LEVEL_LABELS,
    PROGRAMME_STATUS_LABELS,
    RAG_LABELS,
    VISIBILITY_LABELS,
)
from tafel.programmes.services import ActionData

AMOUNT = re.compile(r"\d{1,3}(\.\d{3})+|\d+")
# amount_eur is a BigInteger: a larger number would fail in the database driver.
MAX_AMOUNT = 2**63 - 1


class AmountTooLarge(ValueError):
    pass


def parse_amount(text: str | None) -> int | None:
    """Whole euros: "250000", "250.000" or "€ 250.000"; None when empty."""
    value = (text or "").replace("€", "").replace(" ", "").strip()
    if not value:
        return None
    if value.endswith(",-"):
        value = value[:-2]
    if not AMOUNT.fullmatch(value):
        raise ValueError(value)
    amount = int(value.replace(".", ""))
    if amount > MAX_AMOUNT:
        raise AmountTooLarge(value)
    return amount


def amount_valid(form, field) -> None:
    try:
        parse_amount(field.data)
    except AmountTooLarge:
        raise ValidationError(_l("Dit bedrag is te groot.")) from None
    except ValueError:
        raise ValidationError(
            _l("Vul een bedrag in hele euro’s in, bijvoorbeeld 250000 of 250.000.")
        ) from None


def _ids(values) -> list[int]:
    return [int(v) for v in values or [] if str(v).isdigit()]


class ActionForm(OnceForm, FlaskForm):
    version = HiddenField()
    title = StringField(
        _l("Titel"),
        filters=[strip],
        validators=[DataRequired(_l("Geef de actie een titel.")), Length(max=300)],
    )
    description = TextAreaField(
        _l("Beschrijving"), filters=[strip], validators=[Optional(), Length(max=10000)]
    )
    action_line = SelectField(
        _l("Actielijn"),
        coerce=optional_int,
        validate_choice=False,  # the service names an unknown action line
        validators=[InputRequired(_l("Kies een van de negen actielijnen."))],
    )
    status = SelectField(_l("Stand"), choices=as_choices(ACTION_STATUS_LABELS), default="gepland")
    reason = TextAreaField(
        _l("Reden van vervallen"),
        description=_l("Verplicht als de actie vervalt."),
        filters=[strip],
        validators=[Optional(), Length(max=5000)],
    )
    visibility = RadioField(
        _l("Zichtbaarheid"), choices=as_choices(VISIBILITY_LABELS), default="tafel"
    )
    amount_eur = StringField(
        _l("Bedrag (euro)"),
        description=_l("Hele euro’s; leeg als er nog geen bedrag is."),
        filters=[strip],
        validators=[amount_valid],
    )
    funding_source = SelectField(_l("Financieringsbron"), coerce=optional_int)
    funding_status = SelectField(_l("Financieringsstatus"), coerce=optional_int)
    start_date = DateField(_l("Begin"), validators=[Optional()])
    end_date = DateField(_l("Einde"), validators=[Optional()])
    lead_organisation = SelectField(_l("Trekker (organisatie)"), coerce=optional_int)
    lead_ministry = SelectField(_l("Trekker (ministerie)"), coerce=optional_int)
    organisations = SelectMultipleField(_l("Betrokken organisaties"), coerce=int)
    ministries = MultiCheckboxField(_l("Betrokken ministeries"), coerce=int)
    technologies = MultiCheckboxField(_l("Sleuteltechnologieën"), coerce=int)
    missions = MultiCheckboxField(_l("Missies"), coerce=int)
    instruments = MultiCheckboxField(_l("Instrumenten"), coerce=int)

    def data_for_service(self, dimensions, impact_values) -> ActionData:
        return ActionData(
            title=self.title.data or "",
            description=self.description.data or "",
            action_line_id=self.action_line.data,
            status=self.status.data or "gepland",
            reason=self.reason.data or "",
            visibility=self.visibility.data or "tafel",
            amount_eur=parse_amount(self.amount_eur.data),
            funding_source_id=self.funding_source.data,
            funding_status_id=self.funding_status.data,
            start_date=self.start_date.data,
            end_date=self.end_date.data,
            lead_organisation_id=self.lead_organisation.data,
            lead_ministry_id=self.lead_ministry.data,
            impacts={d.id: impact_values.get(d.id, ("", "")) for d in dimensions},
            organisation_ids=_ids(self.organisations.data),
            ministry_ids=_ids(self.ministries.data),
            technology_ids=_ids(self.technologies.data),
            mission_ids=_ids(self.missions.data),
            instrument_ids=_ids(self.instruments.data),
        )


LEVEL_CHOICES = [("", _l("Niet ingeschat")), *LEVEL_LABELS.items()]


class MilestoneForm(OnceForm, FlaskForm):
    title = StringField(
        _l("Mijlpaal"),
        filters=[strip],
        validators=[DataRequired(_l("Beschrijf de mijlpaal.")), Length(max=300)],
    )
    due_date = DateField(_l("Datum"), validators=[InputRequired(_l("Vul een geldige datum in."))])


class ProgressForm(OnceForm, FlaskForm):
    day = DateField(_l("Datum"), validators=[InputRequired(_l("Vul een geldige datum in."))])
    rag = RadioField(
        _l("Stand van de actie"),
        choices=as_choices(RAG_LABELS),
        validators=[InputRequired(_l("Kies groen, oranje of rood."))],
    )
    text = TextAreaField(
        _l("Voortgang"),
        filters=[strip],
        validators=[DataRequired(_l("Beschrijf de voortgang.")), Length(max=5000)],
    )


class LinkForm(FlaskForm):
    submission = IntegerField(
        _l("Nummer van de melding"),
        validators=[
            InputRequired(_l("Vul het nummer van een aanvaarde melding in.")),
            NumberRange(1, MAX_ID, _l("Er is geen melding met dit nummer.")),
        ],
    )


class ProgrammeForm(OnceForm, FlaskForm):
    name_nl = StringField(
        _l("Naam"),
        filters=[strip],
        validators=[DataRequired(_l("Geef het programma een naam.")), Length(max=300)],
    )
    name_en = StringField(_l("Naam (Engels)"), filters=[strip], validators=[Length(max=300)])
    # Choices set by the view: the markets, and "none" for a sector or the broad base.
    market = SelectField(_l("Markt"), coerce=optional_int)
    summary = TextAreaField(_l("Samenvatting"), filters=[strip], validators=[Length(max=5000)])
    lead_ministry = SelectField(_l("Trekkend ministerie"), coerce=optional_int)
    ez_lead = SelectField(_l("Trekker bij EZ"), coerce=optional_int)
    period_start = IntegerField(_l("Van (jaar)"), validators=[Optional()])
    period_end = IntegerField(_l("Tot en met (jaar)"), validators=[Optional()])
    status = SelectField(_l("Stand"), choices=as_choices(PROGRAMME_STATUS_LABELS))
    visibility = RadioField(
        _l("Zichtbaarheid"), choices=as_choices(VISIBILITY_LABELS), default="openbaar"
    )


class GoalForm(OnceForm, FlaskForm):
    text = TextAreaField(
        _l("Doel"),
        filters=[strip],
        validators=[DataRequired(_l("Beschrijf het doel.")), Length(max=2000)],
    )
    indicator = SelectField(_l("Indicator (optioneel)"), coerce=optional_int)
    baseline_value = FloatField(_l("Uitgangswaarde"), validators=[Optional()])
    baseline_year = IntegerField(_l("Jaar van de uitgangswaarde"), validators=[Optional()])
    target_value = FloatField(_l("Streefwaarde"), validators=[Optional()])
    target_year = IntegerField(_l("Streefjaar"), validators=[Optional()])
    status = SelectField(_l("Stand"), choices=as_choices(GOAL_STATUS_LABELS))


class DecisionLinkForm(FlaskForm):
    number = StringField(
        _l("Besluitnummer"),
        description=_l("Zoals B-2026-001."),
        filters=[strip],
        validators=[DataRequired(_l("Vul het nummer van een besluit in.")), Length(max=20)],
    )
