"""Forms for action items: creating one, a progress update, closing a submission."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tafel.actions.models import STATUS_LABELS
from tafel.core.forms import as_choices, strip
from tafel.core.once import OnceForm


class ActionForm(OnceForm, FlaskForm):
    description = TextAreaField(
        _l("Actiepunt"),
        description=_l("Wat moet er gebeuren, zo concreet mogelijk."),
        filters=[strip],
        validators=[DataRequired(_l("Beschrijf het actiepunt.")), Length(max=5000)],
    )
    # Choices (ministries, then organisations) are set by the view.
    owner = SelectField(
        _l("Eigenaar"),
        validate_choice=False,  # the view looks the choice up among those offered
        description=_l("Het ministerie of de organisatie die het actiepunt uitvoert."),
        validators=[DataRequired(_l("Kies wie het actiepunt uitvoert."))],
    )
    due_date = DateField(
        _l("Uiterlijk af op"), validators=[InputRequired(_l("Vul een geldige datum in."))]
    )

    def owner_choices(self, ministries, organisations, blank: str) -> None:
        self.owner.choices = as_choices(
            [
                ("", blank),
                *(
                    (f"ministry-{m.id}", _l("Ministerie: %(name)s", name=m.label))
                    for m in ministries
                ),
                *(
                    (f"organisation-{o.id}", _l("Organisatie: %(name)s", name=o.name))
                    for o in organisations
                ),
            ]
        )


class UpdateForm(OnceForm, FlaskForm):
    status = RadioField(
        _l("Nieuwe stand"),
        choices=as_choices(STATUS_LABELS),
        validate_choice=False,  # the service refuses an impossible step, in words
        validators=[InputRequired(_l("Kies de nieuwe stand."))],
    )
    text = TextAreaField(
        _l("Voortgang of toelichting"),
        description=_l("Verplicht als het actiepunt vervalt: geef dan de reden."),
        filters=[strip],
        validators=[Optional(), Length(max=5000)],
    )

    def limit_to(self, current: str) -> None:
        """Show the current stand and the ones that may follow it."""
        if current == "in_uitvoering":
            self.status.choices = [c for c in self.status.choices if c.value != "gepland"]
