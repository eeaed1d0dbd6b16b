"""The per-ministry scoreboard: exact figures for a constructed case, days
counted in Dutch time, no titles or texts, and a flat number of queries."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from tafel import db
from tafel.actions import scoreboard
from tafel.actions.models import ActionItem
from tafel.core.timefmt import AMSTERDAM, local_today
from tafel.decisions import services
from tafel.responses.models import Response
from tests.decisions.factories import held_decision_item, ministry
from tests.factories import make_submission, make_user


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment given in Dutch time, stored (as always) in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


def response(slug, author, *, due, status="gepubliceerd", outcome="overnemen", published=None,
             submitted=None, visibility="openbaar", **fields):  # fmt: skip
    sub = make_submission(author=author, status="aanvaard", visibility=visibility,
                          submitted_at=submitted or at(due - timedelta(days=60), 12),
                          title=fields.pop("title", None))  # fmt: skip
    fields.setdefault("explanation", "Zo doen we het.")  # deels and niet are always explained
    row = Response(submission_id=sub.id, ministry_id=ministry(slug).id, due_date=due,
                   status=status, outcome=outcome, published_at=published, **fields)  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


def action(slug, creator, *, due, status, completed=None, **origin):
    row = ActionItem(
        description="Maatregel", owner_ministry_id=ministry(slug).id, due_date=due,
        status=status, completed_at=completed, created_by_id=creator.id, **origin,
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


def decision(secretariat, slug):
    _s, _m, item, _subs = held_decision_item(secretariat)
    row = services.record_decision(
        item, secretariat, text="Besluit.", outcome="overnemen", ministry=ministry(slug),
        submission_ids=[link.submission_id for link in item.links],
    )  # fmt: skip
    db.session.commit()
    return row


def build_case() -> None:
    """EZK: 6 responses due, 4 published on time; IenW: 1 due, late; BZK: decisions only."""
    t = local_today()
    author = make_user()
    secretariat = make_user(roles=("secretariaat",))

    def ezk(**kw):
        return response("EZK", author, **kw)

    a = ezk(
        due=t - timedelta(10),
        published=at(t - timedelta(12), 12),
        submitted=at(t - timedelta(22), 12),
    )  # 10 days, on time
    ezk(
        due=t - timedelta(5),
        published=at(t - timedelta(5), 23, 30),
        submitted=at(t - timedelta(25), 9),
    )  # 20 days, on the due date late in the evening
    ezk(
        due=t - timedelta(3),
        outcome="deels",
        published=at(t - timedelta(3), 8),
        submitted=at(t - timedelta(33), 8),
    )  # 30 days, on time
    ezk(due=t - timedelta(1), status="concept", outcome=None)  # due, not published: late
    ezk(
        due=t, published=at(t - timedelta(1), 12), submitted=at(t - timedelta(51), 12)
    )  # due today, 50 days, on time
    # Half past midnight the day after the due date is still the due date in UTC: late.
    ezk(due=t - timedelta(30), outcome="niet", published=at(t - timedelta(29), 0, 30),
        submitted=at(t - timedelta(69), 12), visibility="vertrouwelijk",
        title="Geheim knelpunt", explanation="Geheime uitleg")  # fmt: skip  # 40 days
    ezk(due=t + timedelta(10), status="ter_review", outcome="deels")  # not due yet
    ezk(
        due=t + timedelta(30),
        outcome="nader_onderzoek",
        published=at(t - timedelta(1), 10),
        submitted=at(t - timedelta(8), 10),
    )  # 7 days, published before it was due
    response("IenW", author, due=t - timedelta(15), published=at(t - timedelta(14), 0, 30),
             submitted=at(t - timedelta(17), 0, 30))  # fmt: skip  # 3 days, late
    response(
        "IenW",
        author,
        due=t + timedelta(5),
        outcome="niet",
        published=at(t - timedelta(2), 12),
        submitted=at(t - timedelta(10), 12),
    )  # 8 days
    done = "gerealiseerd"
    action("EZK", secretariat, due=t - timedelta(10), status=done,
           completed=at(t - timedelta(11), 15), response_id=a.id)  # fmt: skip  # on time
    action("EZK", secretariat, due=t - timedelta(10), status=done,
           completed=at(t - timedelta(9), 0, 30), response_id=a.id)  # fmt: skip  # a day late
    action("EZK", secretariat, due=t - timedelta(2), status="vervallen", response_id=a.id)
    action("EZK", secretariat, due=t - timedelta(1), status="in_uitvoering", response_id=a.id)
    action("EZK", secretariat, due=t, status=done,
           completed=at(t - timedelta(1), 9), response_id=a.id)  # fmt: skip  # due today, done
    action("EZK", secretariat, due=t + timedelta(20), status=done,
           completed=at(t - timedelta(1), 9), response_id=a.id)  # fmt: skip  # not due yet
    bzk = decision(secretariat, "BZK")
    decision(secretariat, "BZK")
    decision(secretariat, "EZK")
    action("BZK", secretariat, due=t - timedelta(3), status=done,
           completed=at(t - timedelta(3), 23, 59), decision_id=bzk.id)  # fmt: skip


class Table(HTMLParser):
    """Rows of cell texts, leaving out text meant for screen readers only."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = []
        elif tag == "span" and (
            self.hidden or "visually-hidden" in (dict(attrs).get("class") or "")
        ):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "span" and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = Table()
    parser.feed(html)
    return parser.rows


def test_scoreboard_figures_are_exact(app, client):
    with app.app_context():
        build_case()
    response = client.get("/decisions/scoreboard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<caption>" in html and html.count('scope="row"') == 3
    assert html.count('<th scope="col">') == 9
    rows = table_rows(html)
    assert rows[0] == [
        "Ministerie", "Besluiten", "Reacties op tijd", "Overnemen", "Deels overnemen",
        "Niet overnemen", "Nader onderzoek", "Actiepunten op tijd", "Mediane doorlooptijd (dagen)",
    ]  # fmt: skip
    assert rows[1:] == [
        ["Ministerie van Binnenlandse Zaken en Koninkrijksrelaties (BZK)", "2", "–", "–", "–",
         "–", "–", "100 % (1 van 1)", "–"],
        ["Ministerie van Infrastructuur en Waterstaat (IenW)", "0", "0 % (0 van 1)", "1", "0",
         "1", "0", "–", "5,5"],
        ["Ministerie van Economische Zaken en Klimaat (EZK)", "1", "67 % (4 van 6)", "3", "1",
         "1", "1", "40 % (2 van 5)", "25"],
    ]  # fmt: skip
    # Figures only: no submission titles or response texts, not even of hidden ones.
    assert "Geheim" not in html and "Knelpunt" not in html


def test_scoreboard_csv_has_the_same_figures(app, client):
    with app.app_context():
        build_case()
    response = client.get("/decisions/scoreboard.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    data = response.get_data()
    assert data.startswith(codecs.BOM_UTF8) and b"Geheim" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Ministerie", "Afkorting", "Besluiten", "Reacties verschuldigd",
                           "Reacties op tijd", "Reacties op tijd (%)"]  # fmt: skip
    assert {row[1]: row[2:] for row in rows[1:]} == {
        "BZK": ["2", "0", "0", "", "", "", "", "", "1", "1", "100", ""],
        "IenW": ["0", "1", "0", "0", "1", "0", "1", "0", "0", "0", "", "5.5"],
        "EZK": ["1", "6", "4", "67", "3", "1", "1", "1", "5", "2", "40", "25"],
    }


def test_scoreboard_is_empty_without_ministry_work(app, client):
    page = client.get("/decisions/scoreboard").get_data(as_text=True)
    assert "Er zijn nog geen reacties, besluiten of actiepunten van ministeries." in page
    assert "<tbody>" not in page


@given(st.integers(min_value=1, max_value=10_000).flatmap(
    lambda total: st.tuples(st.integers(min_value=0, max_value=total), st.just(total))
))  # fmt: skip
def test_percentages_round_but_never_claim_all_or_none(case):
    done, total = case
    value = scoreboard.percent(done, total)
    assert abs(value - 100 * done / total) <= 1
    assert (value == 100) == (done == total)
    assert (value == 0) == (done == 0)


def test_percentage_rounding_examples():
    assert scoreboard.percent(3, 4) == 75
    assert scoreboard.percent(2, 3) == 67
    assert scoreboard.percent(1, 8) == 13  # 12.5 rounds up
    assert scoreboard.percent(249, 250) == 99
    assert scoreboard.percent(0, 0) is None


def test_scoreboard_queries_do_not_grow_with_ministries(app, client, count_queries):
    def queries_for(url: str) -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    def add_work(slug: str, count: int) -> None:
        with app.app_context():
            t = local_today()
            author, secretariat = make_user(), make_user(roles=("secretariaat",))
            for n in range(count):
                row = response(slug, author, due=t - timedelta(n + 1),
                               published=at(t - timedelta(n + 2), 12))  # fmt: skip
                action(slug, secretariat, due=t - timedelta(1), status="gepland",
                       response_id=row.id)  # fmt: skip
            decision(secretariat, slug)

    urls = ["/decisions/scoreboard", "/decisions/scoreboard.csv"]
    add_work("EZK", 1)
    few = [queries_for(url) for url in urls]
    for slug in ("IenW", "BZK", "LVVN"):
        add_work(slug, 4)
    assert [queries_for(url) for url in urls] == few
    assert len(table_rows(client.get(urls[0]).get_data(as_text=True))) == 5


def test_a_report_without_any_response_counts_as_late(app, client):
    """An accepted report past its deadline owes a response even when the
    ministry never opened it; one not yet due does not count."""
    from tafel.core.timefmt import local_today

    with app.app_context():
        ezk = ministry("EZK")
        author = make_user()
        today = local_today()
        for deadline in (today - timedelta(days=3), today + timedelta(days=30)):
            make_submission(author=author, status="aanvaard", ministry_id=ezk.id,
                            response_deadline=deadline)  # fmt: skip
        make_submission(author=author, status="in_behandeling", ministry_id=ezk.id,
                        response_deadline=today - timedelta(days=3))  # fmt: skip
    rows = table_rows(client.get("/decisions/scoreboard").get_data(as_text=True))
    assert rows[1][0] == "Ministerie van Economische Zaken en Klimaat (EZK)"
    assert rows[1][2] == "0 % (0 van 1)"
