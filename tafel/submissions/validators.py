"""Identifier rules for regulations (DESIGN.md §4)."""

from __future__ import annotations

import re

BWB_RE = re.compile(r"^BWB[RV]\d{7}$")
# CELEX: sector digit (or C/E), year, one or two letters, number, optional suffix
# such as a corrigendum "R(01)" or a consolidation date "-20240101".
CELEX_RE = re.compile(r"^[0-9CE]\d{4}[A-Z]{1,2}\d{4}(?:\(\d{1,2}\)|R\(\d{1,2}\)|-\d{8})?$")
CVDR_RE = re.compile(r"^CVDR\d+$")


def normalise_identifier(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def identifier_kind(value: str) -> str | None:
    """'bwb', 'celex' or 'cvdr' for a well-formed identifier, else None."""
    if BWB_RE.fullmatch(value):
        return "bwb"
    if CELEX_RE.fullmatch(value):
        return "celex"
    if CVDR_RE.fullmatch(value):
        return "cvdr"
    return None
