"""Shared helpers for the submission tests."""

from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import select

from tafel import db
from tafel.reference.models import GovernmentLevel, Market, Ministry
from tests.conftest import csrf_token

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def form_data(client, **overrides) -> dict:
    """A complete knelpunt as the browser sends it."""
    with client.application.app_context():
        market = db.session.scalars(select(Market).where(Market.slug == "halfgeleiders")).one()
        level = db.session.scalars(
            select(GovernmentLevel).where(GovernmentLevel.slug == "rijk")
        ).one()
        ezk = db.session.scalars(select(Ministry).where(Ministry.slug == "EZK")).one()
        ids = (market.id, level.id, ezk.id)
    html = client.get("/submissions/new").get_data(as_text=True)
    token = re.search(r'id="form_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="form_token"[^>]*value="([^"]+)"', html
    )
    data = {
        "csrf_token": csrf_token(client),
        "form_token": token.group(1) if token else "",
        "kind": "knelpunt",
        "title": "Omgevingsvergunning cleanroom duurt te lang",
        "summary": "De vergunning voor onze tweede cleanroom ligt al veertien maanden stil.",
        "body": "Wij bouwen een **cleanroom** in Eindhoven.",
        "proposed_solution": "Een vaste beslistermijn van acht weken.",
        "market": str(ids[0]),
        "government_level": str(ids[1]),
        "regulation_name": "Omgevingswet",
        "regulation_identifier": "BWBR0037885",
        "regulation_article": "5.1",
        "ministry": str(ids[2]),
        "impact_type": "vertraging",
        "impact_euro": "2400000",
        "impact_delay_months": "14",
        "visibility": "openbaar",
        "show_organisation": "y",
        "action": "submit_anyway",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
