"""Rate-limit counters, in the database so that they hold across workers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tafel.db import Base, UTCDateTime


class RateCounter(Base):
    """Requests of one caller (a token or an address) in one fixed window."""

    __tablename__ = "api_rate_counters"
    __table_args__ = (Index("ix_api_rate_counters_window_start", "window_start"),)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
