"""The text engine of the report search, behind one function on SQLite and PostgreSQL.

This module knows text, not features: it folds, stems and parses queries, owns the index tables and
matches them. What goes into a report's index row and when (indexing, re-indexing, the search
filter on report lists) is ``tafel.submissions.search``.

Design
------
Every submission has one row in the side table ``submission_search`` holding its text *normalised
in Python* (case-folded, accents removed, punctuation runs turned into one space, words padded):

- SQLite: an FTS5 virtual table with the ``trigram`` tokenizer, columns ``title``, ``summary``,
  ``meta`` (regulation name and identifier, organisation name) and ``body``; rowid = submission id.
- PostgreSQL: a plain table with the same columns plus ``document`` (all of them joined) carrying
  a GIN ``gin_trgm_ops`` index (extension pg_trgm).

Both match every query term as a *substring* of the normalised text, so a search is compound-aware
(``vergunning`` finds ``omgevingsvergunning``) and accent- and case-insensitive on both databases
alike. Dutch inflection is handled on the query side only: a light stemmer reduces each term to a
stem that is a prefix of its singular and plural forms (``vergunningen`` → ``vergunning``,
``problemen`` and ``probleem`` → ``proble``, ``mogelijkheden`` and ``mogelijkheid`` →
``mogelijkhe``). Terms of one or two characters (``AI``, ``EU``, ``5G``) cannot be matched by
trigrams and would match almost anything as substrings; they match as whole words instead (`` ai ``
with the padding spaces). Dutch stop words are dropped unless the query has nothing else. Terms are
ANDed.

PostgreSQL's ``dutch`` text-search configuration was considered and not used: its snowball stemmer
does not split compounds, so ``vergunning`` would not find ``omgevingsvergunning``, and SQLite and
PostgreSQL would answer differently.

Ranking is the same SQL on both databases: for each term, points for a match in the title (8, plus
4 when a word starts with it), the summary (3 + 1) and the regulation/organisation (2 + 1); a
body-only match scores 1.

User input never reaches the SQL text: terms keep letters and digits only and travel as bound
parameters (the FTS5 query string quotes every term).

Keeping the index current
-------------------------
``document_row(fields)`` turns one report's texts into its index row; ``bulk_index`` adds rows,
``replace_rows`` replaces them, ``index_row`` (re)indexes one (an upsert on PostgreSQL),
``remove_rows`` and ``clear_index`` take rows out. The callers (``tafel.submissions.search``) decide
which reports and when. Deleting a submission removes its row by itself (ON DELETE CASCADE on
PostgreSQL, a trigger on SQLite). None of these commit.

The tables live outside ``Base.metadata`` (they are created by migration 0004); ``include_name``
keeps Alembic's autogenerate away from them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

TABLE = "submission_search"
MAX_QUERY_CHARS = 500
MAX_TERMS = 8
MAX_TERM_CHARS = 60
# Terms shorter than this cannot be found by trigrams: whole-word match.
MIN_SUBSTRING = 3

# SQLite: FTS5 virtual table; rowid = submission id.
_sqlite_metadata = MetaData()
sqlite_table = Table(
    TABLE,
    _sqlite_metadata,
    Column("rowid", Integer, key="submission_id", primary_key=True),
    Column("title", Text),
    Column("summary", Text),
    Column("meta", Text),
    Column("body", Text),
)

# PostgreSQL: plain table, trigram GIN index on `document`.
_pg_metadata = MetaData()
pg_table = Table(
    TABLE,
    _pg_metadata,
    Column("submission_id", Integer, primary_key=True),
    Column("title", Text),
    Column("summary", Text),
    Column("meta", Text),
    Column("document", Text),
)

WEIGHTS = {"title": (8, 4), "summary": (3, 1), "meta": (2, 1)}

STOPWORDS = frozenset(
    """
    aan al alle alleen als bij dan dat de der des deze die dit door een en er het hij hun in is
    je maar met na naar niet nog of om onder ook op over te tegen ten ter tot uit van voor wat
    we wel werd wie wij worden wordt zal ze zich zij zijn zo zoals
    """.split()
)

_APOSTROPHES = re.compile(r"['’‘`´]")
_SEPARATORS = re.compile(r"[\W_]+")
_VOWELS = frozenset("aeiou")


# Normalising ------------------------------------------------------------------------


def fold(text: str | None) -> str:
    """Lower-case, accent-free words separated by single spaces.

    ``"Financiën & auto's: Omgevings-vergunning"`` → ``"financien autos omgevings vergunning"``.
    The same function prepares documents and queries, so both sides agree.
    """
    if not text:
        return ""
    if text.isascii():
        text = text.lower()
    else:
        # Compatibility forms first (𝑨 → A, ﬁ → fi), then case, then accents.
        text = unicodedata.normalize("NFKD", text).casefold()
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def _padded(*parts: str | None) -> str:
    """Folded text with a space before and after, so `` ai `` finds the word "AI"."""
    return " " + " ".join(p for p in (fold(part) for part in parts) if p) + " "


# Query parsing ----------------------------------------------------------------------


def stem(term: str) -> str:
    """Reduce a folded Dutch word to a prefix shared by its common inflections.

    Light and conservative: the result is always a prefix of the word itself,
    so a term never stops finding the word the user typed. Words with digits
    and short words are left alone.
    """
    if len(term) < 4 or not term.isalpha():
        return term
    for suffix in ("heden", "heid"):  # mogelijkheden, mogelijkheid → mogelijkhe
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            return term[: -len(suffix)] + "he"
    if term.endswith("en") and len(term) >= 5 and term[-3] not in "aou":
        return _plural_stem(term[:-2])  # vergunningen, problemen, bedrijven
    if term.endswith("s") and len(term) >= 5 and term[-2] != "s":
        return term[:-1]  # regels, auto's (folded to autos)
    if term.endswith("e") and len(term) >= 5 and term[-2] not in _VOWELS:
        return _open_syllable(term[:-1])  # duurzame → duurza(am)
    # probleem, duurzaam, financieel: the plural loses one vowel.
    if len(term) >= 6 and term[-1] not in _VOWELS and term[-2] == term[-3] and term[-2] in "aeou":
        return term[:-2]
    if term.endswith("f") and len(term) >= 5:
        return term[:-1]  # bedrijf → bedrij(ven)
    return term


def _plural_stem(stem_: str) -> str:
    if len(stem_) >= 4 and stem_[-1] == stem_[-2] and stem_[-1] not in _VOWELS:
        return stem_[:-1]  # bedden → bed, processen → proces
    if len(stem_) >= 4 and stem_[-1] in "vz":
        return stem_[:-1]  # bedrijven → bedrij(f), grenzen → gren(s)
    return _open_syllable(stem_)


def _open_syllable(stem_: str) -> str:
    """problem(en) → proble: prefix of both 'probleem' and 'problemen'."""
    if (
        len(stem_) >= 5
        and stem_[-1] not in _VOWELS
        and stem_[-2] in "aeou"
        and stem_[-3] not in _VOWELS
    ):
        return stem_[:-1]
    return stem_


@dataclass(frozen=True)
class Term:
    text: str  # letters and digits only
    whole_word: bool

    @property
    def pattern(self) -> str:
        """The text to look for in the padded document."""
        return f" {self.text} " if self.whole_word else self.text


def parse_query(query: str | None) -> list[Term]:
    """The terms of a user's query; an empty list means "no filter"."""
    words = fold((query or "")[:MAX_QUERY_CHARS]).split()
    meaningful = [w for w in words if w not in STOPWORDS]
    words = meaningful or words
    terms: list[Term] = []
    seen: set[str] = set()
    for word in words:
        word = stem(word[:MAX_TERM_CHARS])
        if word in seen:
            continue
        seen.add(word)
        terms.append(Term(word, whole_word=len(word) < MIN_SUBSTRING))
    # A term inside another term adds nothing ("vergunning omgevingsvergunning").
    substrings = [t for t in terms if not t.whole_word]
    terms = [
        t for t in terms if t.whole_word or not any(t.text in o.text and t != o for o in substrings)
    ]
    return terms[:MAX_TERMS]


def has_terms(query: str | None) -> bool:
    return bool(parse_query(query))


# Querying ---------------------------------------------------------------------------


def _dialect_name(dialect: str | None) -> str:
    from tafel.db import engine

    return dialect or engine().dialect.name


def _table(dialect: str) -> Table:
    return sqlite_table if dialect == "sqlite" else pg_table


def _rank(dialect: str, table: Table, terms: list[Term]):
    # instr()/strpos() rather than LIKE: plain substring tests, measurably
    # cheaper when a common word matches most of the index.
    position = func.instr if dialect == "sqlite" else func.strpos
    score = literal(1)
    for term in terms:
        word_start = term.pattern if term.whole_word else f" {term.text}"
        for column, (weight, word_start_bonus) in WEIGHTS.items():
            col = table.c[column]
            score = score + case(
                (position(col, word_start) > 0, weight + word_start_bonus),
                (position(col, term.pattern) > 0, weight),
                else_=0,
            )
    return score


def fts5_query(terms: list[Term]) -> str:
    """The FTS5 MATCH string: every term a quoted phrase (letters, digits, spaces only)."""
    return " AND ".join(f'"{term.pattern}"' for term in terms)


def matching_ids(query: str | None, dialect: str | None = None, *, rank: bool = True) -> Select:
    """A select of ``(submission_id, rank)`` for the submissions matching ``query``.

    Higher rank is more relevant. Use it as a subquery::

        hits = search.matching_ids(q).subquery()
        stmt = stmt.join(hits, hits.c.submission_id == Submission.id).order_by(
            hits.c.rank.desc(), Submission.id.desc()
        )

    or ``Submission.id.in_(select(hits.c.submission_id))``. A query without terms (empty, only
    punctuation) matches every indexed row with rank 0 — but callers should rather skip the filter
    (``tafel.submissions.search`` does, and offers the same function over every submission).
    ``dialect`` defaults to the current app's database. With ``rank=False`` the rank column is a
    constant 0: much cheaper when a common word matches most submissions and the list is sorted by
    something else anyway. To stop at a LIMIT, drive the query from ``match_source`` instead."""
    terms = parse_query(query)
    name = _dialect_name(dialect)
    table = _table(name)
    if not terms:
        return select(table.c.submission_id.label("submission_id"), literal(0).label("rank"))
    score = _rank(name, table, terms) if rank else literal(0)
    stmt = select(table.c.submission_id.label("submission_id"), score.label("rank"))
    stmt = stmt.where(_match(name, table, terms))
    # LIMIT -1 (no limit) keeps SQLite from flattening this into the outer
    # query: flattened, it may loop over submissions and run the MATCH once
    # per row (seconds instead of milliseconds); now it runs once.
    return stmt.limit(-1) if name == "sqlite" else stmt


def _match(dialect: str, table: Table, terms: list[Term]):
    if dialect == "sqlite":
        return literal_column(TABLE).op("MATCH")(fts5_query(terms))
    return and_(*(table.c.document.like(f"%{t.pattern}%") for t in terms))


def match_source(query: str | None, dialect: str | None = None) -> tuple[Table, Any, Any] | None:
    """(index table, report-id join expression, MATCH clause): a query driven by the index
    stops at its LIMIT. None without terms. On SQLite the join has a unary + (no per-row probe)."""
    terms, name = parse_query(query), _dialect_name(dialect)
    if not terms:
        return None
    table = _table(name)
    key = literal_column(f"+{TABLE}.rowid") if name == "sqlite" else table.c.submission_id
    return table, key, _match(name, table, terms)


# Maintaining the index --------------------------------------------------------------


def document_row(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The index row for one submission.

    ``fields`` holds ``id``, ``title``, ``summary``, ``body``,
    ``regulation_name``, ``regulation_identifier`` and ``organisation_name``.
    """
    meta = (fields.get(name) for name in ("regulation_name", "regulation_identifier"))
    return {
        "submission_id": fields["id"],
        "title": _padded(fields.get("title")),
        "summary": _padded(fields.get("summary")),
        "meta": _padded(*meta, fields.get("organisation_name")),
        "body": _padded(fields.get("body")),
    }


def _rows_for(dialect: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    if dialect == "sqlite":
        return list(rows)
    result = []
    for row in rows:
        parts = (row["title"], row["summary"], row["meta"], row.pop("body"))
        row["document"] = " " + " ".join(p.strip() for p in parts if p.strip()) + " "
        result.append(row)
    return result


def bulk_index(session: Session, submissions: Iterable[Mapping[str, Any]]) -> int:
    """Add index rows for submissions not yet indexed (see ``document_row`` for the keys).

    For bulk loads; ``index_row`` and ``replace_rows`` replace existing rows.
    """
    dialect = session.get_bind().dialect.name
    rows = _rows_for(dialect, (document_row(fields) for fields in submissions))
    if rows:
        session.execute(insert(_table(dialect)), rows)
    return len(rows)


def remove_rows(session: Session, submission_ids: Iterable[int]) -> None:
    """Take the index rows of these submissions out."""
    table = _table(session.get_bind().dialect.name)
    session.execute(delete(table).where(table.c.submission_id.in_(list(submission_ids))))


def clear_index(session: Session) -> None:
    """Empty the index (before a rebuild)."""
    session.execute(delete(_table(session.get_bind().dialect.name)))


def replace_rows(session: Session, submissions: list[Mapping[str, Any]]) -> int:
    """Replace the index rows of these submissions (see ``document_row`` for the keys)."""
    remove_rows(session, [fields["id"] for fields in submissions])
    return bulk_index(session, submissions)


def index_row(session: Session, fields: Mapping[str, Any]) -> None:
    """(Re)index one submission from its fields. Does not commit."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # An upsert: two transactions re-indexing the same submission at
        # once must not collide on the primary key.
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        (row,) = _rows_for(dialect, [document_row(fields)])
        stmt = pg_insert(pg_table).values(row)
        updates = {name: stmt.excluded[name] for name in row if name != "submission_id"}
        session.execute(stmt.on_conflict_do_update(index_elements=["submission_id"], set_=updates))
        return
    replace_rows(session, [fields])


# Alembic ----------------------------------------------------------------------------


def include_name(name: str | None, type_: str, parent_names: Mapping[str, Any]) -> bool:
    """Alembic autogenerate filter: the search tables (and SQLite's FTS5
    shadow tables ``submission_search_*``) are managed by migration 0004,
    not by the models."""
    if type_ == "table" and name and name.startswith(TABLE):
        return False
    return True
