"""Organisations, users, roles, login attempts and password-reset tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tafel.accounts.roles import ROLES
from tafel.db import Base, UTCDateTime, one_of, utcnow
from tafel.reference.models import Constituency, Ministry, OrganisationType, Province

ACCESS_OUTCOMES = ("approved", "rejected")


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    org_type_id: Mapped[int] = mapped_column(ForeignKey("organisation_types.id"), index=True)
    kvk: Mapped[str | None] = mapped_column(String(8), unique=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"), index=True)
    city: Mapped[str | None] = mapped_column(String(100))
    ministry_id: Mapped[int | None] = mapped_column(ForeignKey("ministries.id"))
    verified: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org_type: Mapped[OrganisationType] = relationship(lazy="joined")
    province: Mapped[Province | None] = relationship(lazy="joined")
    ministry: Mapped[Ministry | None] = relationship()
    users: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def constituency(self) -> Constituency:
        return self.org_type.constituency


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Mail preference: each message at once, or one daily digest (urgent ones still at once).
    mail_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="users", lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )

    # Flask-Login interface -------------------------------------------------
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The session version travels with the id: bumping it ends every
        # session that carries the old one.
        return f"{self.id}:{self.session_version}"

    # Roles -----------------------------------------------------------------
    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles: set[str] | list[str]) -> None:
        wanted = set(roles)
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role_known"),
        Index("ix_user_roles_role", "role"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class LoginAttempt(Base):
    """Every login attempt; the throttle counts recent failures from here."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_time", "email", "created_at"),
        Index("ix_login_attempts_ip_time", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    success: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AccessRequest(Base):
    """Someone asks to join an organisation that is already on Tafel.

    The account is created only when the beheerder or the secretariat
    approves; until then the request keeps the chosen password's hash.
    """

    __tablename__ = "access_requests"
    __table_args__ = (
        CheckConstraint(
            "outcome IS NULL OR " + one_of("outcome", ACCESS_OUTCOMES), name="outcome_known"
        ),
        Index("ix_access_requests_open", "decided_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(10))

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class UserSession(Base):
    """One signed-in browser: the cookie holds a random token, this row its hash.

    Logging out ends the row, so a cookie copied before cannot be used after;
    the row's age gives the absolute lifetime, whatever the cookie says.
    """

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_open", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    device: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SectorLead(Base):
    """The EZ contact of a sector (the letter gives every sector one): a user
    may lead several sectors, a sector may have more than one lead."""

    __tablename__ = "sector_leads"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"), primary_key=True, index=True)
