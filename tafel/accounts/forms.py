"""Account forms. Labels go through Babel; server-side validation in every form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from tafel.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from tafel.accounts.validators import is_valid_kvk, normalise_kvk
from tafel.core.forms import REQUIRED, MultiCheckboxField, optional_int, strip

PASSWORD_HINT = _l("Minstens %(n)d tekens. Een zin van een paar woorden werkt goed.", n=MIN_LENGTH)


class KvkField(StringField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = normalise_kvk(self.data)


def validate_kvk(form, field) -> None:
    if field.data and not is_valid_kvk(field.data):
        raise ValidationError(
            _l("Een KvK-nummer bestaat uit precies 8 cijfers, bijvoorbeeld 12345678.")
        )


class NewAccountForm(FlaskForm):
    """The person's own fields, shared by registration and access requests."""

    name = StringField(
        _l("Uw naam"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    email = EmailField(
        _l("E-mailadres"),
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Vul een geldig e-mailadres in, zoals naam@organisatie.nl.")),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Wachtwoord"),
        description=PASSWORD_HINT,
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
    )
    password_confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
    )


class RegistrationForm(NewAccountForm):
    org_name = StringField(
        _l("Naam van de organisatie"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    org_type = SelectField(
        _l("Soort organisatie"), coerce=optional_int, validators=[DataRequired(REQUIRED)]
    )
    kvk = KvkField(
        _l("KvK-nummer"),
        description=_l("8 cijfers. Verplicht voor bedrijven, branche-organisaties en financiers."),
        validators=[Optional(), validate_kvk],
    )
    province = SelectField(
        _l("Provincie"), coerce=optional_int, validators=[DataRequired(REQUIRED)]
    )


class AccessRequestForm(NewAccountForm):
    kvk = KvkField(
        _l("KvK-nummer van de organisatie"),
        validators=[DataRequired(REQUIRED), validate_kvk],
    )
    message = TextAreaField(
        _l("Toelichting voor het secretariaat"),
        description=_l("Bijvoorbeeld uw functie, of wie u binnen de organisatie kent."),
        filters=[strip],
        validators=[Optional(), Length(max=1000)],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=254)]
    )
    password = PasswordField(
        _l("Wachtwoord"), validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)]
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Vul een geldig e-mailadres in, zoals naam@organisatie.nl.")),
        ],
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        description=PASSWORD_HINT,
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
    )
    password_confirm = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"), validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)]
    )


class ConfirmPasswordForm(FlaskForm):
    """The password again, before a sensitive action."""

    password = PasswordField(
        _l("Uw wachtwoord"), validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)]
    )


class UserAdminForm(FlaskForm):
    name = StringField(
        _l("Naam"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    roles = MultiCheckboxField(_l("Rollen"))
    active = BooleanField(_l("Account actief"))


class OrganisationAdminForm(FlaskForm):
    name = StringField(
        _l("Naam van de organisatie"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    org_type = SelectField(
        _l("Soort organisatie"), coerce=optional_int, validators=[DataRequired(REQUIRED)]
    )
    kvk = KvkField(_l("KvK-nummer"), validators=[Optional(), validate_kvk])
    province = SelectField(_l("Provincie"), coerce=optional_int, validators=[Optional()])
    city = StringField(_l("Plaats"), filters=[strip], validators=[Optional(), Length(max=100)])
