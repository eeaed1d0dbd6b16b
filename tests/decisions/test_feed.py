"""The public Atom feed read with feedparser, as a feed reader does:
language, corrections, paging beyond fifty entries, ETag and 304."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser

from tafel import db
from tafel.decisions import services
from tests.decisions.factories import held_decision_item
from tests.decisions.test_exports import publish_response, record
from tests.factories import make_submission, make_user


def parse(response):
    assert response.status_code == 200
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    return feed


def links(feed) -> dict[str, str]:
    return {link.rel: link.href for link in feed.feed.links}


def test_feed_speaks_dutch_and_carries_corrections(app, client):
    with app.test_request_context():
        secretariat, _m, item, _subs = held_decision_item()
        decision = record(item, secretariat, text="Netcongestie krijgt voorrang.")
        decision.public = True
        decision.created_at = datetime(2026, 6, 1, 9, tzinfo=UTC)
        db.session.commit()
        amendment = services.amend(decision, secretariat, "Lees: voorrang vanaf 2027.")
        amendment.created_at = datetime(2026, 6, 10, 9, tzinfo=UTC)
        db.session.commit()
    feed = parse(client.get("/decisions/feed.atom"))
    assert feed.feed.language == "nl"
    (entry,) = feed.entries
    assert "Lees: voorrang vanaf 2027." in entry.summary
    assert "Correctie van 10 juni 2026" in entry.summary
    assert entry.updated == "2026-06-10T09:00:00Z"
    assert entry.published == "2026-06-01T09:00:00Z"


def test_feed_pages_past_fifty_entries(app, client):
    with app.app_context():
        author = make_user()
        start = datetime(2026, 1, 1, 12, tzinfo=UTC)
        for n in range(120):
            sub = make_submission(author=author, status="aanvaard", visibility="openbaar")
            publish_response(sub, published_at=start + timedelta(days=n))
    seen: list[str] = []
    url = "/decisions/feed.atom"
    pages = 0
    while url:
        feed = parse(client.get(url.replace("http://127.0.0.1:5000", "")))
        pages += 1
        seen += [entry.id for entry in feed.entries]
        assert links(feed)["first"].endswith("/decisions/feed.atom")
        assert ("previous" in links(feed)) is (pages > 1)
        url = links(feed).get("next")
    assert pages == 3 and len(seen) == 120 and len(set(seen)) == 120
    assert client.get("/decisions/feed.atom?page=0").status_code == 404
    assert client.get("/decisions/feed.atom?page=999").status_code == 404


def test_feed_answers_304_for_an_unchanged_etag(app, client):
    with app.app_context():
        sub = make_submission(status="aanvaard", visibility="openbaar")
        publish_response(sub, explanation="Eerste reactie.")
    first = client.get("/decisions/feed.atom")
    etag = first.headers["ETag"]
    assert etag
    again = client.get("/decisions/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()
    with app.app_context():
        publish_response(make_submission(status="aanvaard", visibility="openbaar"))
    changed = client.get("/decisions/feed.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
