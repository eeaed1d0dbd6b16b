"""Comments and co-signatures are rate limited per account and per address,
counted in the database (audit: rate limits on everything anonymous or cheap)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.core.models import RateEvent
from tafel.core.ratelimit import Limit
from tafel.submissions import support
from tafel.submissions.intake import SubmissionError
from tafel.submissions.models import Comment
from tests.factories import make_org, make_submission, make_user


@pytest.fixture
def small_limits(app):
    app.config["RATE_LIMITS"] = {
        ("comment", "user"): Limit(3, timedelta(hours=1)),
        ("comment", "ip"): Limit(5, timedelta(hours=1)),
        ("cosign", "ip"): Limit(2, timedelta(hours=1)),
    }
    yield
    app.config.pop("RATE_LIMITS")


def test_comments_stop_at_the_account_limit_and_the_address_limit(app, ctx, small_limits):
    sub = make_submission(visibility="openbaar", status="aanvaard")
    first, second = make_user(), make_user()
    for n in range(3):
        support.add_comment(sub, first, f"Reactie {n}", ip="198.51.100.1")
    with pytest.raises(SubmissionError, match="Te veel"):
        support.add_comment(sub, first, "Nog een", ip="198.51.100.2")  # the account is full
    support.add_comment(sub, second, "Van een ander", ip="198.51.100.1")
    support.add_comment(sub, second, "Weer", ip="198.51.100.1")
    with pytest.raises(SubmissionError, match="Te veel"):
        support.add_comment(sub, second, "Te veel", ip="198.51.100.1")  # the address is full
    db.session.flush()
    assert db.session.scalar(select(func.count(Comment.id))) == 5
    assert db.session.scalar(select(func.count(RateEvent.id))) == 10  # refused ones not counted


def test_cosignatures_are_limited_per_address(app, ctx, small_limits):
    subs = [make_submission(visibility="openbaar", status="aanvaard") for _ in range(3)]
    users = [make_user(org=make_org("mkb")) for _ in range(3)]
    support.cosign(subs[0], users[0], "Ja", ip="203.0.113.5")
    support.cosign(subs[1], users[1], "Ja", ip="203.0.113.5")
    with pytest.raises(SubmissionError, match="Te veel"):
        support.cosign(subs[2], users[2], "Ja", ip="203.0.113.5")
    support.cosign(subs[2], users[2], "Ja", ip="203.0.113.6")


def test_old_uses_no_longer_count(app, ctx, small_limits):
    sub = make_submission(visibility="openbaar", status="aanvaard")
    user = make_user()
    for n in range(3):
        support.add_comment(sub, user, f"Reactie {n}", ip="198.51.100.1")
    for event in db.session.scalars(select(RateEvent)):
        event.created_at -= timedelta(hours=2)
    support.add_comment(sub, user, "Een uur later", ip="198.51.100.1")


def test_the_worker_forgets_uses_older_than_every_window(app, ctx):
    from tafel.core import ratelimit

    assert ratelimit.allow("comment", ["user:1", "ip:198.51.100.1"])
    db.session.flush()
    for event in db.session.scalars(select(RateEvent)):
        event.created_at -= timedelta(days=3)
    assert ratelimit.allow("comment", ["user:1"])
    db.session.flush()
    assert ratelimit.purge() == 2
    assert db.session.scalar(select(func.count(RateEvent.id))) == 1
