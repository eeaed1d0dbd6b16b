"""The amount and identifier validators, over many inputs (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tafel.international.services import CELEX, COUNTRIES, FileError, parse_countries
from tafel.programmes.forms import MAX_AMOUNT, parse_amount


def dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**12))
def test_every_whole_euro_amount_reads_back_in_each_notation(n):
    assert parse_amount(str(n)) == n
    assert parse_amount(dotted(n)) == n
    assert parse_amount(f"€ {dotted(n)},-") == n


@given(st.text(alphabet="abcxyz,;-+eE ", min_size=1).filter(lambda t: t.strip(" €") != ""))
def test_text_that_is_no_amount_is_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize("bad", ["1.5", "12.34.567", "1,5", "-3", "1e6"])
def test_decimals_negative_and_exponents_are_refused(bad):
    with pytest.raises(ValueError):
        parse_amount(bad)


@given(st.integers(min_value=MAX_AMOUNT + 1, max_value=10**40))
def test_an_amount_beyond_the_database_range_is_refused(n):
    assert parse_amount(str(MAX_AMOUNT)) == 2**63 - 1
    with pytest.raises(ValueError):
        parse_amount(str(n))
    with pytest.raises(ValueError):
        parse_amount(dotted(n))


def test_empty_is_no_amount():
    assert parse_amount("") is None and parse_amount("  ") is None


@pytest.mark.parametrize("celex", ["32023R1781", "32019R0452", "52020PC0767", "32022L2555"])
def test_celex_numbers_of_acts_and_proposals(celex):
    assert CELEX.fullmatch(celex)


@pytest.mark.parametrize("celex", ["2023R1781", "32023 R1781", "X2023R1781", "32023R178"])
def test_not_celex(celex):
    assert not CELEX.fullmatch(celex)


@given(st.lists(st.sampled_from(COUNTRIES), max_size=6))
def test_iso_countries_are_kept_once_in_order(codes):
    text = ", ".join(c.lower() for c in codes)
    assert parse_countries(text) == list(dict.fromkeys(codes))


def test_there_are_249_iso_3166_1_countries_and_no_pseudo_codes():
    assert len(COUNTRIES) == 249
    for code in ("EU", "XK", "UN"):
        with pytest.raises(FileError):
            parse_countries(code)
