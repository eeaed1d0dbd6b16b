"""Identifier checks shared by forms and services."""

from __future__ import annotations

import re

KVK_RE = re.compile(r"^\d{8}$")


def normalise_kvk(value: str | None) -> str:
    """Remove the spaces and dots people type inside a KvK number."""
    return re.sub(r"[\s.]", "", value or "")


def is_valid_kvk(value: str) -> bool:
    return bool(KVK_RE.fullmatch(value))


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()
