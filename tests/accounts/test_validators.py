"""Property tests for the identifier and password checks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tafel.accounts.passwords import common_passwords, password_problem
from tafel.accounts.validators import is_valid_kvk, normalise_email, normalise_kvk

digits = st.text(alphabet="0123456789", min_size=8, max_size=8)


@given(digits)
def test_any_eight_digits_are_a_kvk_number(value):
    assert is_valid_kvk(value)


@given(st.text(max_size=12).filter(lambda s: not (len(s) == 8 and s.isascii() and s.isdigit())))
def test_anything_else_is_not(value):
    assert not is_valid_kvk(value)


@given(digits, st.lists(st.sampled_from([" ", "."]), max_size=4), st.randoms())
def test_spaces_and_dots_are_ignored(value, noise, rnd):
    chars = list(value)
    for sep in noise:
        chars.insert(rnd.randint(0, len(chars)), sep)
    assert normalise_kvk("".join(chars)) == value


@given(st.emails())
def test_email_normalisation_is_idempotent_and_lowercase(email):
    once = normalise_email(f"  {email.upper()} ")
    assert once == normalise_email(once) == once.lower()


@given(st.text(min_size=0, max_size=11))
def test_short_passwords_are_refused(password):
    assert "minstens 12" in password_problem(password)


@given(st.text(min_size=129, max_size=200))
def test_long_passwords_are_refused(password):
    assert "128" in password_problem(password)


def test_common_passwords_and_variants_are_refused():
    assert "password1234" in common_passwords() or "password" in common_passwords()
    for weak in ["password1234", "PASSWORD1234", "qwertyuiop12", "aaaaaaaaaaaa", "abababababab"]:
        assert password_problem(weak) is not None, weak


def test_good_passphrases_pass():
    for good in ["een-lang-en-uniek-wachtwoord", "Tafel zit op dinsdag 2026", "k8#Lm2!qZ9@w"]:
        assert password_problem(good) is None, good


def test_password_starting_with_email_name_is_refused():
    assert password_problem("ingrid.dommel-2026!", "ingrid.dommel@example.com") is not None
