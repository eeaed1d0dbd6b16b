"""The text engine (tafel.core.search) on real submissions, on SQLite and PostgreSQL.

Keeping the index of reports current is tafel.submissions.search:
tests/submissions/test_search_index.py."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select

from tafel import db
from tafel.core import search
from tafel.submissions import search as reports
from tafel.submissions.models import Submission
from tests.factories import make_org, make_user


@pytest.fixture
def author(ctx):
    return make_user(org=make_org(name="Dommeldal Vacuümtechniek B.V."))


def add(author, title="Een signaal", summary="Korte samenvatting.", **fields) -> Submission:
    submission = Submission(
        kind=fields.pop("kind", "knelpunt"),
        title=title,
        summary=summary,
        organisation=fields.pop("organisation", author.organisation),
        author=author,
        status=fields.pop("status", "ingediend"),
        visibility=fields.pop("visibility", "openbaar"),
        **fields,
    )
    db.session.add(submission)
    db.session.flush()
    reports.index_submission(db.session, submission)
    db.session.commit()
    return submission


def found(query: str) -> list[int]:
    """Ids matching `query`, best first (ties: lowest id first)."""
    hits = search.matching_ids(query).subquery()
    stmt = select(hits.c.submission_id).order_by(hits.c.rank.desc(), hits.c.submission_id)
    return list(db.session.scalars(stmt))


# Matching ---------------------------------------------------------------------------


def test_compound_words_are_found_by_their_parts(author):
    omgeving = add(author, body="De omgevingsvergunning voor de hal duurt twee jaar.")
    stikstof = add(author, title="Stikstofvergunning loopt vast")
    other = add(author, title="Netcongestie in Brabant")
    assert set(found("vergunning")) == {omgeving.id, stikstof.id}
    assert found("netcongestie") == [other.id]
    assert found("congestie") == [other.id]


def test_plurals_and_derivations_find_each_other(author):
    single = add(author, title="Vergunning voor een tweede fabriek")
    plural = add(author, title="Vergunningen stapelen zich op")
    problem = add(author, summary="Het probleem is de doorlooptijd.")
    problems = add(author, summary="Er zijn problemen met de netbeheerder.")
    chance = add(author, body="Er zijn mogelijkheden voor hergebruik.")
    company = add(author, body="Bedrijven wachten op een aansluiting.")
    autos = add(author, body="Elektrische auto's laden op het terrein.")

    assert set(found("vergunningen")) == {single.id, plural.id}
    assert set(found("vergunning")) == {single.id, plural.id}
    assert set(found("probleem")) == {problem.id, problems.id}
    assert set(found("problemen")) == {problem.id, problems.id}
    assert found("mogelijkheid") == [chance.id]
    assert found("bedrijf") == [company.id]
    assert found("auto") == [autos.id]
    assert found("autos") == [autos.id]


def test_accents_and_case_are_folded(author):
    accented = add(author, title="Financiën van de coöperatie")
    plain = add(author, title="FINANCIEN EN COOPERATIE")
    assert set(found("financien")) == {accented.id, plain.id}
    assert set(found("Financiën")) == {accented.id, plain.id}
    assert set(found("COÖPERATIE")) == {accented.id, plain.id}
    assert set(found("coopératie")) == {accented.id, plain.id}


def test_every_field_is_searched(author):
    title = add(author, title="Waterstofleiding")
    summary = add(author, summary="Kwantumcomputer in de cleanroom")
    body = add(author, body="Een lange uitleg over fotonica.")
    regulation = add(author, regulation_name="Besluit activiteiten leefomgeving")
    identifier = add(author, regulation_identifier="BWBR0041330")
    org = make_org(name="Zeeuwse Zoutwinning N.V.")
    by_org = add(author, organisation=org)

    assert found("waterstof") == [title.id]
    assert found("kwantum") == [summary.id]
    assert found("fotonica") == [body.id]
    assert found("leefomgeving") == [regulation.id]
    assert found("bwbr0041330") == [identifier.id]
    assert found("BWBR0041330") == [identifier.id]
    assert found("zoutwinning") == [by_org.id]


def test_all_words_must_match(author):
    both = add(author, title="Netcongestie", body="en een stikstofvergunning")
    add(author, title="Alleen netcongestie")
    add(author, title="Alleen stikstof")
    assert found("netcongestie stikstof") == [both.id]
    assert found("stikstof   NETCONGESTIE") == [both.id]
    assert found("netcongestie onbekendwoord") == []


def test_short_terms_match_whole_words_only(author):
    ai = add(author, title="AI-toepassingen in de zorg")
    add(author, title="Maintenance van de taille")  # contains the letters "ai"
    fiveg = add(author, body="Een privaat 5G-netwerk op het bedrijventerrein.")
    assert found("AI") == [ai.id]
    assert found("ai zorg") == [ai.id]
    assert found("5g") == [fiveg.id]


def test_stop_words_are_ignored_unless_nothing_else_is_left(author):
    sub = add(author, title="De vergunning van het bedrijf")
    add(author, title="Waterstof")
    assert found("de vergunning van het") == [sub.id]
    assert found("het") == [sub.id]


# Ranking ----------------------------------------------------------------------------


def test_title_match_ranks_above_summary_above_body(author):
    body = add(author, title="Iets anders", body="Over netcongestie in de regio.")
    title = add(author, title="Netcongestie blokkeert uitbreiding")
    summary = add(author, summary="Door netcongestie geen aansluiting.")
    assert found("netcongestie") == [title.id, summary.id, body.id]


def test_a_word_starting_with_the_term_ranks_above_a_compound_part(author):
    compound = add(author, title="Omgevingsvergunning")
    word = add(author, title="Vergunning")
    assert found("vergunning") == [word.id, compound.id]


def test_without_rank_the_same_submissions_match(author):
    subs = [add(author, title="Netcongestie"), add(author, body="netcongestie")]
    add(author, title="Iets anders")
    hits = search.matching_ids("netcongestie", rank=False).subquery()
    rows = db.session.execute(select(hits.c.submission_id, hits.c.rank)).all()
    assert sorted(rows) == [(s.id, 0) for s in subs]


def test_empty_query_means_no_filter(author):
    subs = [add(author, title=f"Signaal {n}") for n in range(3)]
    for query in ("", "   ", None, "***", "'\"", "%_"):
        assert not search.has_terms(query)
        assert sorted(found(query)) == sorted(s.id for s in subs)


def test_sqlite_runs_the_match_once_not_per_submission(author):
    """Joined to submissions, the FTS5 subquery must not be flattened into a
    per-row MATCH with a rowid constraint (seconds on a large database)."""
    add(author, title="Netcongestie")
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("SQLite query planning")
    hits = search.matching_ids("vergunning netcongestie").subquery()
    stmt = (
        select(func.count())
        .select_from(Submission)
        .join(hits, hits.c.submission_id == Submission.id)
        .where(Submission.visibility == "openbaar", Submission.status != "concept")
    )
    sql = str(stmt.compile(connection, compile_kwargs={"literal_binds": True}))
    plan = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    scans = [step for step in plan if "submission_search VIRTUAL TABLE" in step]
    assert scans and not any(re.search(r"INDEX \d+:=", step) for step in scans), plan


def test_sqlite_delete_trigger_survives_migrations(ctx):
    """A batch-mode migration that recreates `submissions` on SQLite drops the
    trigger that keeps the index clean; it must be recreated there."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("PostgreSQL uses ON DELETE CASCADE")
    triggers = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'submissions'"
    ).scalars()
    assert "submission_search_delete" in set(triggers)


def test_search_tables_are_not_in_the_models(ctx):
    names = set(inspect(db.session.connection()).get_table_names())
    assert "submission_search" in names
    assert not search.include_name("submission_search", "table", {})
    assert not search.include_name("submission_search_data", "table", {})
    assert search.include_name("submissions", "table", {})


# Hostile input ----------------------------------------------------------------------

# (query, whether it finds "Netcongestie en stikstof"): operators are plain words.
NASTY = [
    ('"', None),
    ("'", None),
    ('"netcongestie', True),
    ("netcongestie*", True),
    ("*", None),
    ("NEAR(netcongestie stikstof)", False),
    ("netcongestie NEAR stikstof", False),
    ("netcongestie OR stikstof", False),
    ("NOT netcongestie", False),
    ("title:netcongestie", False),
    ("{title summary}: x", False),
    ("^netcongestie", True),
    ("netcongestie:stikstof", True),
    ("netcongestie'; DROP TABLE submissions; --", False),
    ("% _ \\ %%", None),
    ("((((", None),
    ("\x00netcongestie\x00", True),
    ("a" * 10_000, False),
    ("🚀 netcongestie 🚀", True),
    ("ǅ ß İ ﬁ ½", False),
]


@pytest.mark.parametrize(("query", "finds"), NASTY)
def test_special_characters_are_harmless(author, query, finds):
    sub = add(author, title="Netcongestie en stikstof")
    result = found(query)
    if finds is None:  # no terms: no filter
        assert not search.has_terms(query)
    assert result == ([sub.id] if finds in (True, None) else [])
    assert db.session.scalar(select(func.count(Submission.id))) == 1


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(max_size=80))
def test_arbitrary_text_never_raises(ctx, query):
    hits = search.matching_ids(query).subquery()
    db.session.scalar(select(func.count()).select_from(hits))
    db.session.rollback()


@settings(max_examples=500)
@given(query=st.text(max_size=200))
def test_terms_are_letters_and_digits(query):
    terms = search.parse_query(query)
    assert len(terms) <= search.MAX_TERMS
    for term in terms:
        assert term.text and term.text.isalnum() and search.fold(term.text) == term.text
        assert '"' not in search.fts5_query(terms)[1:-1].replace('" AND "', "")


@settings(max_examples=500)
@given(text=st.text(max_size=200))
def test_fold_is_idempotent(text):
    assert search.fold(search.fold(text)) == search.fold(text)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("vergunningen", "vergunning"),
        ("vergunning", "vergunning"),
        ("omgevingsvergunning", "omgevingsvergunning"),
        ("problemen", "proble"),
        ("probleem", "proble"),
        ("mogelijkheden", "mogelijkhe"),
        ("mogelijkheid", "mogelijkhe"),
        ("bedrijven", "bedrij"),
        ("processen", "proces"),
        ("regels", "regel"),
        ("duurzame", "duurza"),
        ("duurzaam", "duurza"),
        ("financien", "financi"),
        ("groen", "groen"),
        ("wetten", "wet"),
        ("co2", "co2"),
        ("bwbr0041330", "bwbr0041330"),
    ],
)
def test_stemmer(word, stem):
    assert search.stem(word) == stem
    assert word.startswith(stem)
