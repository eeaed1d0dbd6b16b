"""Reference data: the table's taxonomy, loaded from taxonomy.json and kept by the admin."""

from __future__ import annotations

from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.db import Base


class ReferenceMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def label(self) -> str:
        locale = get_locale()
        if locale is not None and locale.language == "en" and self.label_en:
            return self.label_en
        return self.label_nl

    def __str__(self) -> str:
        return self.label


class Market(ReferenceMixin, Base):
    __tablename__ = "markets"


class ActionLine(ReferenceMixin, Base):
    __tablename__ = "action_lines"


class Technology(ReferenceMixin, Base):
    __tablename__ = "technologies"


class Mission(ReferenceMixin, Base):
    __tablename__ = "missions"


class Theme(ReferenceMixin, Base):
    __tablename__ = "themes"


class Sector(ReferenceMixin, Base):
    __tablename__ = "sectors"


class GovernmentLevel(ReferenceMixin, Base):
    __tablename__ = "government_levels"


class Constituency(ReferenceMixin, Base):
    __tablename__ = "constituencies"


class Province(ReferenceMixin, Base):
    """slug holds the ISO 3166-2 code, e.g. NL-UT."""

    __tablename__ = "provinces"


class OrganisationType(ReferenceMixin, Base):
    __tablename__ = "organisation_types"

    constituency_id: Mapped[int] = mapped_column(ForeignKey("constituencies.id"))
    kvk_required: Mapped[bool] = mapped_column(Boolean, default=False)

    constituency: Mapped[Constituency] = relationship(lazy="joined")


class Ministry(ReferenceMixin, Base):
    """slug holds the ministry's abbreviation (EZK, IenW, …)."""

    __tablename__ = "ministries"

    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))

    successor: Mapped[Ministry | None] = relationship(remote_side="Ministry.id")

    def is_valid_on(self, day: date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day >= self.valid_until)


# Kinds the loader and the admin pages know, keyed by taxonomy.json section.
KINDS: dict[str, type[ReferenceMixin]] = {
    "markets": Market,
    "action_lines": ActionLine,
    "technologies": Technology,
    "missions": Mission,
    "themes": Theme,
    "sectors": Sector,
    "government_levels": GovernmentLevel,
    "constituencies": Constituency,
    "provinces": Province,
    "organisation_types": OrganisationType,
    "ministries": Ministry,
}
# Their names on the admin pages.
KIND_LABELS = {
    "markets": _l("Markten"),
    "action_lines": _l("Actielijnen"),
    "technologies": _l("Sleuteltechnologieën"),
    "missions": _l("Missies"),
    "themes": _l("Thema's"),
    "sectors": _l("Sectoren"),
    "government_levels": _l("Bestuurslagen"),
    "constituencies": _l("Geledingen"),
    "provinces": _l("Provincies"),
    "organisation_types": _l("Soorten organisaties"),
    "ministries": _l("Ministeries"),
}
