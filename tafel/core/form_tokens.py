"""One-time form tokens: the same form posted twice creates one row.

A form that creates something carries a random token (`tafel.core.once`),
made when the form is rendered. The request that creates the row first claims
the token, inside its own transaction: it inserts a `form_tokens` row, whose
token column is unique, before doing anything else. A second request with the
same token (a double click, a proxy retrying, a second tab, or one at the very
same moment) fails that insert, also when the first has not committed yet (it
waits for it) and learns from the stored row what the first one made. A
refused or failed request rolls its claim back with everything else, so it
consumes no token.

Old claims may go: after `KEEP_DAYS` nobody re-posts a form in good faith, and
`purge(session)` (run by `flask --app tafel purge-form-tokens`) removes them.

Services here never read the request and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import ForeignKey, Index, Integer, String, delete, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from tafel.db import Base, UTCDateTime, utcnow

KEEP_DAYS = 30


class FormToken(Base):
    """A claimed form token: who posted it, what kind of form, what it made."""

    __tablename__ = "form_tokens"
    __table_args__ = (Index("ix_form_tokens_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass
class Claim:
    """The outcome of `claim`: `row` is this request's claim, or `earlier`
    the claim of the request that used the token first."""

    row: FormToken | None = None
    earlier: FormToken | None = None

    @property
    def first(self) -> bool:
        return self.row is not None

    def record(self, session: Session, obj) -> None:
        """Remember what this request made, for a second post of the form."""
        assert self.row is not None, "record() only after a first claim"
        self.row.object_id = obj.id
        session.flush()


def claim(session: Session, token: str, user_id: int, kind: str) -> Claim:
    """Claim `token` in the current transaction (call it before any other write).

    The insert runs in a SAVEPOINT: a unique violation, also from a concurrent
    request that committed meanwhile, rolls back only the savepoint and means
    "already done"; the earlier claim is then read back."""
    row = FormToken(token=token, user_id=user_id, kind=kind)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        earlier = find(session, token)
        if earlier is None:  # not a token clash after all
            raise
        return Claim(earlier=earlier)
    return Claim(row=row)


def find(session: Session, token: str | None) -> FormToken | None:
    """The claim of `token`, if it was claimed and committed (a read only)."""
    if not token:
        return None
    return session.scalar(select(FormToken).where(FormToken.token == token))


def purge(session: Session, days: int = KEEP_DAYS, now: datetime | None = None) -> int:
    """Remove claims older than `days`; the number removed."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = session.execute(delete(FormToken).where(FormToken.created_at < cutoff))
    return cast(CursorResult, result).rowcount or 0
