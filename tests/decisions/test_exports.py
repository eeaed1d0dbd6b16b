"""Exports of the decision register (CSV, Excel) and the public Atom feed:
the same rows as the register, nothing hidden, no formulas, valid Atom."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from tafel import db
from tafel.actions.models import ActionItem
from tafel.core.timefmt import AMSTERDAM, local_date
from tafel.decisions import services
from tafel.responses.models import Response
from tests.conftest import login, post
from tests.decisions.factories import held_decision_item, ministry
from tests.factories import make_org, make_submission, make_user

ATOM = "{http://www.w3.org/2005/Atom}"
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NUMBER = re.compile(r"B-\d{4}-\d{3}")
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def record(item, secretariat, **fields):
    values = {
        "text": "De tafel verzoekt EZK een verkenning te doen.",
        "outcome": "overnemen",
        "submission_ids": [link.submission_id for link in item.links],
    }
    values.update(fields)
    return services.record_decision(item, secretariat, **values)


def publish_response(sub, *, status="gepubliceerd", published_at=None, **fields):
    response = Response(
        submission_id=sub.id,
        ministry_id=fields.pop("ministry_id", ministry().id),
        due_date=fields.pop("due_date", date(2026, 1, 31)),
        status=status,
        outcome=fields.pop("outcome", "overnemen"),
        published_at=published_at or datetime.now(UTC),
        **fields,
    )
    db.session.add(response)
    db.session.commit()
    return response


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    data = response.get_data()
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def parse_xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own output


def xlsx_sheet(response) -> tuple[ET.Element, list[list]]:
    """The first sheet's XML and its rows: shared strings as text, numbers as floats."""
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as book:
        sheet = parse_xml(book.read("xl/worksheets/sheet1.xml"))
        strings = []
        if "xl/sharedStrings.xml" in book.namelist():
            shared = parse_xml(book.read("xl/sharedStrings.xml"))
            strings = ["".join(si.itertext()) for si in shared.iter(f"{SHEET}si")]
    rows = []
    for row in sheet.iter(f"{SHEET}row"):
        cells = []
        for cell in row.iter(f"{SHEET}c"):
            value = cell.find(f"{SHEET}v").text
            cells.append(strings[int(value)] if cell.get("t") == "s" else float(value))
        rows.append(cells)
    return sheet, rows


def excel_day(serial: float) -> date:
    return date(1899, 12, 30) + timedelta(days=int(serial))


def numbers(rows) -> set[str]:
    return {row[0] for row in rows[1:]}


def register_numbers(client, args: str) -> set[str]:
    return set(NUMBER.findall(client.get(f"/decisions/{args}").get_data(as_text=True)))


def test_exports_hold_what_the_register_shows(app, client):
    with app.app_context():
        secretariat, _m, item, (sub,) = held_decision_item()
        _m, hidden_item, _subs = held_decision_item(secretariat, visibility="tafel")[1:]
        subsidies = record(item, secretariat, text="Besluit over subsidies.")
        permits = record(
            item, secretariat, text="Besluit over vergunningen.", outcome="niet",
            explanation="Past niet in de wet.", organisation=sub.organisation,
        )  # fmt: skip
        table = record(hidden_item, secretariat, text="Besluit over de tafelagenda.")
        db.session.add(
            ActionItem(decision_id=permits.id, description="Brief aan de Kamer",
                       due_date=date(2000, 1, 1), created_by_id=secretariat.id)
        )  # fmt: skip
        db.session.commit()
        member = make_user(roles=("tafellid",))
        email = member.email
        meeting_day = local_date(item.meeting.starts_at)
        n_sub, n_permit, n_table = subsidies.number, permits.number, table.number
        permit_row = [
            n_permit, meeting_day.isoformat(), "Besluit over vergunningen.", "Niet overnemen",
            "Past niet in de wet.", sub.organisation.name, str(sub.id), "Achterstallig",
            "", f"http://127.0.0.1:5000/decisions/{permits.id}",
        ]  # fmt: skip
    cases = [
        ("", {n_sub, n_permit}, {n_sub, n_permit, n_table}),
        ("?outcome=niet", {n_permit}, {n_permit}),
        ("?q=tafelagenda", set(), {n_table}),
        ("?implementation=achterstallig", {n_permit}, {n_permit}),
    ]
    for who in (None, email):
        if who:
            login(client, who)
        for args, public, for_member in cases:
            expected = for_member if who else public
            shown = register_numbers(client, args)
            assert shown == expected, (who, args)
            assert numbers(csv_rows(client.get(f"/decisions/export.csv{args}"))) == shown
            assert numbers(xlsx_sheet(client.get(f"/decisions/export.xlsx{args}"))[1]) == shown
    rows = csv_rows(client.get("/decisions/export.csv?outcome=niet"))
    assert rows == [
        ["Nummer", "Datum vergadering", "Besluit", "Uitkomst", "Toelichting",
         "Verantwoordelijk", "Meldingen", "Uitvoering", "Correcties", "Link"],
        permit_row,
    ]  # fmt: skip
    _sheet, cells = xlsx_sheet(client.get("/decisions/export.xlsx?outcome=niet"))
    assert cells[0] == rows[0]
    assert excel_day(cells[1][1]) == meeting_day  # a real date, not text
    # The empty "Correcties" cell is left out; the link shows the number.
    assert cells[1][:1] + cells[1][2:] == permit_row[:1] + permit_row[2:8] + [n_permit]


def test_exports_follow_the_ministry_filter(app, client):
    with app.app_context():
        secretariat, _m, item, _subs = held_decision_item()
        ezk = record(item, secretariat, text="Voor EZK.", ministry=ministry("EZK"))
        record(item, secretariat, text="Voor IenW.", ministry=ministry("IenW"))
        db.session.commit()
        ezk_id, number = ministry("EZK").id, ezk.number
    shown = register_numbers(client, f"?ministry={ezk_id}")
    assert shown == {number}
    assert numbers(csv_rows(client.get(f"/decisions/export.csv?ministry={ezk_id}"))) == shown
    assert numbers(xlsx_sheet(client.get(f"/decisions/export.xlsx?ministry={ezk_id}"))[1]) == shown


@pytest.mark.parametrize("visibility", ["tafel", "vertrouwelijk"])
def test_hidden_items_appear_nowhere_public(app, client, visibility):
    with app.app_context():
        secretariat, _m, item, (open_sub,) = held_decision_item()
        _m, hidden_item, (hidden_sub,) = held_decision_item(secretariat, visibility="tafel")[1:]
        hidden_sub.visibility = visibility
        hidden_sub.title = "Geheim knelpunt netaansluiting"
        record(item, secretariat, text="Openbaar besluit over laadpalen.")
        record(hidden_item, secretariat, text="Geheime afspraak over de netaansluiting.")
        publish_response(open_sub, explanation="Openbare reactie over laadpalen.")
        publish_response(hidden_sub, explanation="Geheime reactie over de netaansluiting.")
        # Made confidential after the decision: hidden even if the decision's flag lags behind.
        _m, later_item, (later_sub,) = held_decision_item(secretariat)[1:]
        record(later_item, secretariat, text="Geheim geworden besluit over netaansluiting.")
        later_sub.visibility = visibility
        db.session.commit()
        outsider = make_user(roles=("indiener",), org=make_org())
        emails = outsider.email, secretariat.email
    urls = ["/decisions/", "/decisions/export.csv", "/decisions/export.xlsx",
            "/decisions/feed.atom"]  # fmt: skip
    for who in (None, emails[0]):
        if who:
            login(client, who)
        for url in urls:
            text = readable(client.get(url))
            assert "laadpalen" in text, url
            assert "Geheim" not in text and "netaansluiting" not in text, (who, url)
        post(client, "/auth/logout")
    # The feed is public whoever asks: not even the secretariat gets hidden items in it.
    login(client, emails[1])
    assert "netaansluiting" in readable(client.get("/decisions/export.csv"))
    feed = readable(client.get("/decisions/feed.atom"))
    assert "laadpalen" in feed and "netaansluiting" not in feed


def readable(response) -> str:
    assert response.status_code == 200
    if response.mimetype.endswith("sheet"):
        _sheet, rows = xlsx_sheet(response)
        return " ".join(str(cell) for row in rows for cell in row)
    return response.get_data(as_text=True)


def test_formulas_are_neutralised(app, client):
    texts = ['=HYPERLINK("https://example.org","klik")', "+31 6 12345678", "@SUM(A1:A9)"]
    with app.app_context():
        secretariat, _m, item, _subs = held_decision_item()
        for text in texts:
            record(item, secretariat, text=text, outcome="niet", explanation="-1+1")
        db.session.commit()
    rows = csv_rows(client.get("/decisions/export.csv"))
    assert sorted(row[2] for row in rows[1:]) == sorted("'" + text for text in texts)
    assert {row[4] for row in rows[1:]} == {"'-1+1"}
    sheet, cells = xlsx_sheet(client.get("/decisions/export.xlsx"))
    assert list(sheet.iter(f"{SHEET}f")) == []  # no formula anywhere
    assert sorted(row[2] for row in cells[1:]) == sorted(texts)  # kept as plain text
    for row in sheet.iter(f"{SHEET}row"):
        kinds = [cell.get("t") for cell in row.iter(f"{SHEET}c")]
        assert kinds[2] == "s" and kinds[4] == "s"


def test_atom_feed_lists_public_decisions_and_published_responses(app, client):
    published_at = datetime(2026, 7, 1, 1, 30, tzinfo=AMSTERDAM)
    with app.app_context():
        secretariat, _m, item, (sub,) = held_decision_item()
        decision = record(item, secretariat, text="Netbeheerders krijgen voorrang & <ruimte>.")
        decision.created_at = datetime(2026, 6, 20, 8, 15, tzinfo=UTC)
        db.session.commit()
        reply = publish_response(sub, outcome="deels", published_at=published_at,
                                 explanation="EZK past de regeling deels aan.")  # fmt: skip
        draft_sub = make_submission(status="aanvaard", visibility="openbaar")
        publish_response(draft_sub, status="ter_review", explanation="Nog in review.")
        concept_sub = make_submission(status="concept", visibility="openbaar")
        publish_response(concept_sub, explanation="Reactie op een concept.")
        unmarked = record(item, secretariat, text="Nog niet als openbaar gemarkeerd.")
        unmarked.public = False  # the feed wants both: the flag and openbare submissions
        db.session.commit()
        decision_id, number, sub_id, reply_id = decision.id, decision.number, sub.id, reply.id
    response = client.get("/decisions/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = parse_xml(response.get_data())
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text.startswith("tag:")
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(entries) == 2 and len(set(ids)) == 2
    assert all(re.match(r"^tag:[^,]+,\d{4}:(decision|response)/\d+$", i) for i in ids)
    newest, older = entries  # newest first: the response of July, then the decision of June
    assert ids[0].endswith(f":response/{reply_id}")
    assert "Deels overnemen" in newest.find(f"{ATOM}title").text
    assert newest.find(f"{ATOM}summary").text == "EZK past de regeling deels aan."
    assert newest.find(f"{ATOM}updated").text == "2026-06-30T23:30:00Z"
    assert newest.find(f"{ATOM}link").get("href").endswith(f"/submissions/{sub_id}")
    assert older.find(f"{ATOM}title").text == f"Besluit {number}: Overnemen"
    assert older.find(f"{ATOM}summary").text == "Netbeheerders krijgen voorrang & <ruimte>."
    assert older.find(f"{ATOM}link").get("href").endswith(f"/decisions/{decision_id}")
    assert older.find(f"{ATOM}updated").text == "2026-06-20T08:15:00Z"
    assert feed.find(f"{ATOM}updated").text == "2026-06-30T23:30:00Z"
    assert all(RFC3339_UTC.match(e.text) for e in feed.iter(f"{ATOM}updated"))


def test_atom_feed_holds_the_newest_fifty(app, client):
    with app.app_context():
        author = make_user()
        start = datetime(2026, 1, 1, 12, tzinfo=UTC)
        for n in range(51):
            sub = make_submission(author=author, status="aanvaard", visibility="openbaar")
            publish_response(sub, published_at=start + timedelta(days=n))
    feed = parse_xml(client.get("/decisions/feed.atom").get_data())
    updated = [e.find(f"{ATOM}updated").text for e in feed.findall(f"{ATOM}entry")]
    assert len(updated) == 50
    assert updated == sorted(updated, reverse=True)
    assert updated[-1] == "2026-01-02T12:00:00Z"  # the oldest of the 51 fell off


def test_export_and_feed_queries_do_not_grow_with_rows(app, client, count_queries):
    def queries_for(url: str) -> int:
        client.get(url)  # warm-up: first-use caches are not the page's queries
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    urls = ["/decisions/export.csv", "/decisions/export.xlsx", "/decisions/feed.atom"]

    def add_decisions(count: int) -> None:
        with app.app_context():
            secretariat, _m, item, (sub,) = held_decision_item(subs=1)
            for _ in range(count):
                decision = record(item, secretariat, ministry=ministry("EZK"))
                db.session.add(
                    ActionItem(decision_id=decision.id, description="Uitvoeren",
                               due_date=date(2030, 1, 1), created_by_id=secretariat.id)
                )  # fmt: skip
            db.session.commit()
            publish_response(sub)

    add_decisions(1)
    few = [queries_for(url) for url in urls]
    for _ in range(3):
        add_decisions(3)
    assert [queries_for(url) for url in urls] == few
