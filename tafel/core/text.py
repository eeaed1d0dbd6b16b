"""User text normalised on input (ASVS 5.0: input validation and encoding).

`clean()` runs on every form value of every request (`CleanRequest`): NUL,
the other C0 controls except tab and line feed, DEL and the C1 controls go;
a carriage return becomes a line feed; the bidirectional embedding, override
and isolate characters (U+202A–U+202E, U+2066–U+2069), which can make a title
read backwards ("Trojan Source"), go too. The text is put in Unicode NFC, so
one word has one spelling in search and in comparisons.

`single_line()` is for titles and names: line breaks, tabs and the Unicode
line and paragraph separators become one space.
"""

from __future__ import annotations

import re
import unicodedata

from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.wrappers import Request

_NEWLINES = re.compile(r"\r\n?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\n\u2028\u2029]+")


def clean(value: str) -> str:
    """`value` without control and bidi override characters, line ends as LF, NFC."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", _NEWLINES.sub("\n", value)))


def single_line(value: str | None) -> str:
    """A clean title or name: one line, no surrounding white space."""
    return _BREAKS.sub(" ", clean(value or "")).strip()


class CleanRequest(Request):
    """Every request's form values arrive cleaned (see `clean`); uploaded
    files' names are cleaned where they are stored (`core.uploads`)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None:
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, clean(value)) for key, value in form.items(multi=True)]
            )
