"""Bounded pagination for list pages: one COUNT and one page of rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, select

from tafel import db


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int
    # A capped count: there are more than `total` (the pages go up to `total`).
    more: bool = False
    # Whether a search's results are in order of relevance.
    ranked: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_number() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return max(1, min(page, 10_000))


def paginate(query: Select, per_page: int | None = None) -> Page:
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = page_number()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items=list(items), page=page, per_page=per_page, total=total or 0)


def paginate_ids(
    ids: Select,
    count: Select | None,
    load: Callable[[list[int]], list[Any]],
    per_page: int | None = None,
) -> Page:
    """Pagination for large tables: the page's ids come from an ordered
    id-only query (an index scan, cheap even on page 1 000), then `load`
    fetches just those rows with their relations. `count` counts the matches;
    without it all matching ids are read once and counted here, which is
    cheaper when finding the matches is the expensive part (full-text search)."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = page_number()
    start = (page - 1) * per_page
    if count is None:
        all_ids = list(db.session.scalars(ids))
        total = len(all_ids)
        page_ids = all_ids[start : start + per_page]
    else:
        total = db.session.scalar(select(func.count()).select_from(count.order_by(None).subquery()))
        page_ids = list(db.session.scalars(ids.limit(per_page).offset(start)))
    rows = {row.id: row for row in load(page_ids)} if page_ids else {}
    items = [rows[i] for i in page_ids if i in rows]
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
