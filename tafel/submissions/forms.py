"""The submission form and the small forms on the submission page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from tafel.core.forms import REQUIRED, MultiCheckboxField, as_choices, optional_int, strip
from tafel.core.once import OnceForm
from tafel.submissions.models import IMPACT_LABELS
from tafel.submissions.validators import identifier_kind, normalise_identifier


def _validate_identifier(form, field) -> None:
    if field.data and identifier_kind(field.data) is None:
        raise ValidationError(
            _l(
                "Dit is geen geldige aanduiding. Gebruik een BWB-id (zoals BWBR0005416), "
                "een CELEX-nummer (zoals 32016R0679) of een CVDR-id (zoals CVDR123456)."
            )
        )


class IdentifierField(StringField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = normalise_identifier(self.data) or None


class SubmissionForm(FlaskForm):
    form_token = HiddenField()
    kind = RadioField(
        _l("Soort melding"),
        choices=as_choices(
            [
                ("knelpunt", _l("Knelpunt: iets houdt u concreet tegen")),
                ("signaal", _l("Signaal: een ontwikkeling die de tafel moet kennen")),
            ]
        ),
        validators=[InputRequired(REQUIRED)],
        default="knelpunt",
    )
    title = StringField(
        _l("Titel"),
        description=_l("Hoogstens 150 tekens. Zeg in één zin wat er vastloopt."),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=150)],
    )
    summary = TextAreaField(
        _l("Samenvatting"),
        description=_l("Hoogstens 500 tekens."),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=500)],
    )
    body = TextAreaField(
        _l("Toelichting"),
        description=_l(
            "Wat is er aan de hand, sinds wanneer, wie heeft er last van? "
            "U kunt Markdown gebruiken."
        ),
        filters=[strip],
        validators=[Optional(), Length(max=20000)],
    )
    proposed_solution = TextAreaField(
        _l("Voorgestelde oplossing"),
        filters=[strip],
        validators=[Optional(), Length(max=10000)],
    )
    market = SelectField(_l("Markt"), coerce=optional_int, validators=[Optional()])
    action_lines = MultiCheckboxField(_l("Actielijnen"), coerce=int)
    technologies = MultiCheckboxField(_l("Sleuteltechnologieën"), coerce=int)
    missions = MultiCheckboxField(_l("Missies"), coerce=int)
    sector = SelectField(_l("Sector"), coerce=optional_int, validators=[Optional()])
    theme = SelectField(_l("Thema"), coerce=optional_int, validators=[Optional()])
    province = SelectField(_l("Provincie"), coerce=optional_int, validators=[Optional()])

    government_level = SelectField(
        _l("Bestuurslaag van de regel"), coerce=optional_int, validators=[Optional()]
    )
    regulation_name = StringField(
        _l("Naam van de regel"),
        description=_l("Bijvoorbeeld: Omgevingswet, Algemene verordening gegevensbescherming."),
        filters=[strip],
        validators=[Optional(), Length(max=300)],
    )
    regulation_identifier = IdentifierField(
        _l("Aanduiding"),
        description=_l("BWB-id (BWBR0005416), CELEX-nummer (32016R0679) of CVDR-id (CVDR123456)."),
        validators=[Optional(), Length(max=40), _validate_identifier],
    )
    regulation_article = StringField(
        _l("Artikel"), filters=[strip], validators=[Optional(), Length(max=100)]
    )
    ministry = SelectField(
        _l("Verantwoordelijk ministerie"),
        description=_l("Alleen ministeries die nu bestaan."),
        coerce=optional_int,
        validators=[Optional()],
    )

    impact_type = SelectField(
        _l("Soort gevolg"),
        choices=as_choices([("", _l("Kies een soort")), *IMPACT_LABELS.items()]),
        validators=[Optional()],
    )
    impact_euro = IntegerField(
        _l("Geschatte kosten in euro"),
        validators=[
            Optional(),
            NumberRange(min=0, max=10**12, message=_l("Vul een bedrag van 0 of meer in.")),
        ],
    )
    impact_delay_months = IntegerField(
        _l("Vertraging in maanden"),
        validators=[
            Optional(),
            NumberRange(min=0, max=600, message=_l("Vul een aantal maanden tussen 0 en 600 in.")),
        ],
    )
    visibility = RadioField(
        _l("Wie mag de melding lezen?"),
        choices=as_choices(
            [
                ("openbaar", _l("Openbaar: iedereen, ook bezoekers zonder account.")),
                (
                    "tafel",
                    _l("Tafel: de tafelleden, het secretariaat, de ministeries en uw organisatie."),
                ),
                (
                    "vertrouwelijk",
                    _l(
                        "Vertrouwelijk: alleen het secretariaat, de voorzitter, "
                        "het verantwoordelijke ministerie en uw organisatie."
                    ),
                ),
            ]
        ),
        validators=[InputRequired(REQUIRED)],
        default="tafel",
    )
    show_organisation = BooleanField(
        _l("Toon de naam van mijn organisatie aan het publiek"), default=True
    )
    attachments = MultipleFileField(
        _l("Bijlagen"),
        description=_l(
            "Hoogstens 5 bestanden van elk hoogstens 10 MB: PDF, DOCX, XLSX, ODT, ODS, PNG of JPEG."
        ),
    )

    def validate_kind(self, field):
        if field.data not in ("knelpunt", "signaal"):
            raise ValidationError(_l("Kies knelpunt of signaal."))


class CoSignForm(FlaskForm):
    evidence = TextAreaField(
        _l("Waarom steunt uw organisatie dit?"),
        description=_l("Beschrijf kort wat uw organisatie zelf merkt van dit knelpunt."),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=2000)],
    )


class CommentForm(OnceForm, FlaskForm):
    body = TextAreaField(
        _l("Uw reactie"),
        description=_l("U kunt Markdown gebruiken."),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=5000)],
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Toelichting"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=5000)]
    )


class InfoRequestForm(ReasonForm):
    reason = TextAreaField(
        _l("Uw vraag aan de indiener"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=5000)],
    )


class ReplyForm(ReasonForm):
    reason = TextAreaField(
        _l("Uw aanvulling voor het secretariaat"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=5000)],
    )


class DeclineForm(ReasonForm):
    reason = TextAreaField(
        _l("Reden (de indiener ziet deze)"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=5000)],
    )


class HideCommentForm(FlaskForm):
    reason = StringField(
        _l("Reden om te verbergen"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=500)],
    )


class AcceptForm(FlaskForm):
    market = SelectField(_l("Markt"), coerce=optional_int, validators=[DataRequired(REQUIRED)])
    action_lines = MultiCheckboxField(_l("Actielijnen"), coerce=int)
    ministry = SelectField(
        _l("Verantwoordelijk ministerie"), coerce=optional_int, validators=[DataRequired(REQUIRED)]
    )
    deadline = DateField(
        _l("Reactie van het ministerie uiterlijk op"), validators=[DataRequired(REQUIRED)]
    )
    note = TextAreaField(
        _l("Toelichting voor de indiener"),
        filters=[strip],
        validators=[Optional(), Length(max=5000)],
    )


class MergeForm(FlaskForm):
    target = IntegerField(
        _l("Samenvoegen met melding nummer"),
        validators=[DataRequired(REQUIRED), NumberRange(min=1)],
    )
    note = TextAreaField(
        _l("Toelichting"), filters=[strip], validators=[Optional(), Length(max=5000)]
    )
