"""Builders for test data, committed so that every request sees them."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from tafel import db
from tafel.accounts import passwords
from tafel.accounts.models import Organisation, User
from tafel.reference.models import OrganisationType, Province

PASSWORD = "correct-horse-battery"
_kvk = itertools.count(10000000)
_n = itertools.count(1)


def org_type(slug: str) -> OrganisationType:
    return db.session.scalars(select(OrganisationType).where(OrganisationType.slug == slug)).one()


def province(code: str = "NL-UT") -> Province:
    return db.session.scalars(select(Province).where(Province.slug == code)).one()


def make_org(type_slug: str = "mkb", verified: bool = True, **fields) -> Organisation:
    kind = org_type(type_slug)
    org = Organisation(
        name=fields.pop("name", f"Organisatie {next(_n)}"),
        org_type=kind,
        kvk=fields.pop("kvk", str(next(_kvk)) if kind.kvk_required else None),
        province=fields.pop("province", province()),
        verified=verified,
        **fields,
    )
    db.session.add(org)
    db.session.commit()
    return org


def make_user(
    email: str | None = None,
    roles: tuple[str, ...] = ("indiener",),
    org: Organisation | None = None,
    password: str = PASSWORD,
    active: bool = True,
) -> User:
    user = User(
        email=email or f"user{next(_n)}@example.org",
        name=f"Gebruiker {next(_n)}",
        password_hash=passwords.hash_password(password),
        organisation=org or make_org(),
        active=active,
    )
    user.set_roles(set(roles))
    db.session.add(user)
    db.session.commit()
    return user


def make_submission(
    org: Organisation | None = None,
    author: User | None = None,
    *,
    status: str = "ingediend",
    visibility: str = "tafel",
    kind: str = "knelpunt",
    title: str | None = None,
    **fields,
):
    """A submission row as the services would leave it (indexed for search)."""
    from tafel.db import utcnow
    from tafel.submissions import search
    from tafel.submissions.models import Submission

    author = author or make_user(org=org)
    if status == "samengevoegd" and "merged_into_id" not in fields:
        # A merged report always names the report it went into.
        target = make_submission(status="aanvaard", visibility=visibility)
        fields["merged_into_id"] = target.id
    sub = Submission(
        kind=kind,
        status=status,
        visibility=visibility,
        title=title or f"Knelpunt {next(_n)}",
        summary=fields.pop("summary", "Een korte samenvatting."),
        organisation_id=author.organisation_id,
        author=author,
        submitted_at=fields.pop("submitted_at", None if status == "concept" else utcnow()),
        **fields,
    )
    db.session.add(sub)
    db.session.flush()
    search.index_submission(db.session, sub)
    db.session.commit()
    return sub


def make_attachment(sub, content: bytes = b"%PDF-1.4\n%%EOF\n", name: str = "bijlage.pdf"):
    """An attachment row with its file in the upload folder."""
    import hashlib
    import secrets

    from flask import current_app

    from tafel.submissions.models import Attachment

    row = Attachment(
        submission_id=sub.id,
        original_name=name,
        stored_name=secrets.token_hex(16) + ".pdf",
        mime_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_id=sub.author_id,
    )
    db.session.add(row)
    db.session.commit()
    folder = current_app.config["UPLOAD_DIR"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / row.stored_name).write_bytes(content)
    return row
