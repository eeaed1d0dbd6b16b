"""The import form of the beheerder."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from tafel.core.forms import as_choices, strip
from tafel.progress.models import FORMAT_LABELS


class ImportForm(FlaskForm):
    upload = FileField(_l("Bestand"), validators=[FileRequired(_l("Kies een bestand."))])
    format = SelectField(_l("Formaat"), choices=as_choices(FORMAT_LABELS), default="csv")
    # Choices set by the view; needed for CBS and Eurostat files (one series each).
    indicator = SelectField(
        _l("Indicator"),
        description=_l("Voor CBS- en Eurostat-bestanden; een CSV noemt de indicator per rij."),
        validate_choice=False,
    )
    source = StringField(
        _l("Bron"),
        description=_l("Leeg: de bron uit het bestand (dataset en datum van bijwerken)."),
        filters=[strip],
        validators=[Optional(), Length(max=300)],
    )
    retrieved_on = DateField(
        _l("Opgehaald op"), validators=[InputRequired(_l("Vul een geldige datum in."))]
    )
