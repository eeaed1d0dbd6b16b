"""Forms of the meetings feature. Times are entered in Dutch local time."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from tafel.core.forms import REQUIRED, as_choices, optional_int, strip
from tafel.core.once import OnceForm
from tafel.core.timefmt import local_to_utc
from tafel.meetings.models import KIND_LABELS, PRESENCE_LABELS


def to_utc(day: date, at: time) -> datetime:
    return local_to_utc(datetime.combine(day, at))


class MeetingForm(OnceForm, FlaskForm):
    title = StringField(
        _l("Titel"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    day = DateField(_l("Datum"), validators=[InputRequired(_l("Vul een geldige datum in."))])
    start_time = TimeField(
        _l("Begintijd"), validators=[InputRequired(_l("Vul een geldige tijd in (uu:mm)."))]
    )
    end_time = TimeField(
        _l("Eindtijd"), validators=[InputRequired(_l("Vul een geldige tijd in (uu:mm)."))]
    )
    location = StringField(
        _l("Locatie"),
        description=_l("Adres en zaal; laat leeg bij een alleen online vergadering."),
        filters=[strip],
        validators=[Optional(), Length(max=300)],
    )
    online_url = StringField(
        _l("Link voor online deelname"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=True, message=_l("Vul een volledige link in, met https://.")),
        ],
    )
    description = TextAreaField(
        _l("Toelichting"), filters=[strip], validators=[Optional(), Length(max=5000)]
    )
    standard_items = BooleanField(
        _l("Standaardpunten toevoegen (opening, notulen vorige vergadering, rondvraag)"),
        default=True,
    )

    def starts_at(self) -> datetime:
        return to_utc(self.day.data, self.start_time.data)

    def ends_at(self) -> datetime:
        return to_utc(self.day.data, self.end_time.data)

    def details(self) -> dict:
        return {
            "title": self.title.data,
            "starts_at": self.starts_at(),
            "ends_at": self.ends_at(),
            "location": self.location.data or "",
            "online_url": self.online_url.data or "",
            "description": self.description.data or "",
        }


class ItemForm(FlaskForm):
    title = StringField(
        _l("Titel van het punt"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    kind = SelectField(_l("Soort"), choices=as_choices(KIND_LABELS), default="bespreking")
    duration_minutes = IntegerField(
        _l("Duur in minuten"),
        default=15,
        validators=[InputRequired(_l("Vul de duur in minuten in."))],
    )
    presenter = StringField(
        _l("Inleider"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    description = TextAreaField(
        _l("Toelichting"), filters=[strip], validators=[Optional(), Length(max=5000)]
    )

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "kind": self.kind.data,
            "duration_minutes": self.duration_minutes.data,
            "presenter": self.presenter.data or "",
            "description": self.description.data or "",
        }


class LinkForm(FlaskForm):
    submission = IntegerField(
        _l("Meldingnummer"),
        description=_l("Het nummer van een aanvaarde melding, zoals 12."),
        validators=[InputRequired(_l("Vul het nummer van een melding in."))],
    )


class ScheduleForm(FlaskForm):
    submission = HiddenField()
    item = SelectField(_l("Agendapunt"), coerce=optional_int, validate_choice=False)


class PublishForm(FlaskForm):
    accept_overlap = BooleanField(_l("Toch publiceren, ondanks de overlap"))


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Reden van de annulering"),
        description=_l("De tafelleden en de indieners van de geagendeerde meldingen lezen dit."),
        filters=[strip],
        validators=[DataRequired(_l("Geef de reden van de annulering.")), Length(max=2000)],
    )


class RsvpForm(FlaskForm):
    answer = RadioField(
        _l("Bent u aanwezig?"),
        choices=as_choices(PRESENCE_LABELS),
        validators=[InputRequired(_l("Kies aanwezig, afwezig of vervanger."))],
    )
    substitute = StringField(
        _l("Naam van de vervanger"), filters=[strip], validators=[Optional(), Length(max=200)]
    )


class MinutesForm(FlaskForm):
    text = TextAreaField(
        _l("Notulen"),
        description=_l("Markdown: **vet**, *cursief*, lijsten met -."),
        validators=[Length(max=50000)],
    )
    base_revision = HiddenField()


def item_choices(meeting, blank: str = "") -> list:
    """The meeting's items as a select's options ("3. Netcongestie"), after a blank one."""
    return as_choices(
        [("", blank)] + [(item.id, f"{item.position}. {item.title}") for item in meeting.items]
    )


class AddendumForm(FlaskForm):
    text = TextAreaField(
        _l("Aanvulling op de vastgestelde notulen"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=10000)],
    )
    item = SelectField(_l("Bij agendapunt"), coerce=optional_int, validate_choice=False)


class DocumentForm(FlaskForm):
    file = FileField(_l("Document"), validators=[DataRequired(_l("Kies een bestand."))])
    visibility = RadioField(
        _l("Wie mag het lezen?"),
        choices=as_choices({"tafel": _l("Alleen de tafel"), "openbaar": _l("Iedereen (openbaar)")}),
        default="tafel",
        validators=[InputRequired(REQUIRED)],
    )
    item = SelectField(_l("Bij agendapunt"), coerce=optional_int, validate_choice=False)
