from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

from tafel.core.forms import REQUIRED


class ReferenceEntryForm(FlaskForm):
    label_nl = StringField(
        _l("Naam (Nederlands)"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    label_en = StringField(_l("Naam (Engels)"), validators=[Optional(), Length(max=200)])
    active = BooleanField(_l("Actief (kan gekozen worden)"))
