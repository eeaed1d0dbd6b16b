"""Builders for priority rounds in tests."""

from __future__ import annotations

from datetime import timedelta

from tafel import db
from tafel.db import utcnow
from tafel.voting import services
from tests.factories import make_org, make_submission, make_user


def make_round(
    method: str = "ranked",
    *,
    secret: bool = True,
    candidates: int = 3,
    params: dict | None = None,
    open_now: bool = True,
    quorum: int = 50,
):
    """A round over accepted submissions; opened (with a voter snapshot) unless told not to."""
    secretariat = make_user(roles=("secretariaat",))
    subs = [make_submission(status="aanvaard", visibility="tafel") for _ in range(candidates)]
    defaults = {"approval": {"k": 2}, "dot": {"total": 10, "max_per_candidate": 6}}
    rnd = services.create_round(
        secretariat,
        title="Prioriteringsronde najaar",
        explanation="",
        method=method,
        params=params if params is not None else defaults.get(method, {}),
        opens_at=utcnow() + timedelta(days=1),
        closes_at=utcnow() + timedelta(days=8),
        secret=secret,
        quorum_percent=quorum,
        candidate_ids=[s.id for s in subs],
    )
    if open_now:
        services.open_round(rnd, secretariat)
    db.session.commit()
    return rnd, [s.id for s in subs], secretariat


def make_member(constituency_type: str = "mkb", email: str | None = None):
    """A table member in an organisation of the given type (its constituency)."""
    return make_user(email=email, roles=("tafellid",), org=make_org(constituency_type))
