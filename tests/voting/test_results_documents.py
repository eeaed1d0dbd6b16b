"""The round result as the official outcome: the CSV read with `csv` (numbers
as numbers), the PDF read with pypdf (tagged, A4, who took part or who voted
what, Dutch notation, quorum, method and closing time)."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from tafel import db
from tafel.voting import ballots, services
from tests.conftest import login
from tests.factories import make_user
from tests.voting.factories import make_member, make_round


def closed_score_round(app, *, secret: bool):
    with app.test_request_context():
        voters = [make_member(email=f"lid{n}@example.org") for n in range(3)]
        rnd, (a, b, c), secretariat = make_round(method="score", secret=secret, candidates=3)
        for voter, scores in zip(voters, [(5, 4, 1), (4, 4, 1), (4, 3, 0)], strict=True):
            ballots.cast_ballot(rnd, voter, {"scores": dict(zip((a, b, c), scores, strict=True))})
        services.close_round(rnd, secretariat)
        db.session.commit()
        make_user(email="chair@example.org", roles=("voorzitter",))
        return rnd.id, (a, b, c), [v.name for v in voters]


def test_results_csv_has_numeric_columns(app, client):
    round_id, (a, b, c), _names = closed_score_round(app, secret=True)
    login(client, "chair@example.org")
    body = client.get(f"/rounds/{round_id}/results.csv").get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    assert header[:6] == ["Positie", "Gedeelde positie", "Melding", "Titel",
                          "Gemiddelde score", "Aantal beoordelingen"]  # fmt: skip
    first = rows[1]
    assert int(first[0]) == 1 and int(first[2]) == a
    assert float(first[4]) == pytest.approx(13 / 3, abs=1e-4) and int(first[5]) == 3
    assert "'" not in "".join(cell for row in rows for cell in row[:2])


@pytest.mark.parametrize("secret", [True, False])
def test_results_pdf_is_the_official_outcome(app, client, secret):
    round_id, _ids, names = closed_score_round(app, secret=secret)
    login(client, "chair@example.org")
    response = client.get(f"/rounds/{round_id}/results.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "nl"
    page = reader.pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (595, 842)  # A4 portrait
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "4,33 (3)" in text  # Dutch decimal comma
    assert "Quorum" in text and "50% van de stemgerechtigden" in text and "gehaald" in text
    assert "Gesloten" in text and "Cijfer geven" in text
    assert "&#34;" not in text and "&amp;" not in text
    assert "plaats in de top 3 verschilt" not in text  # screen-reader text stays out of print
    if secret:
        assert "Niemand." not in text
        assert all(name in text for name in names)
        assert "Wie stemde wat" not in text
    else:
        assert "Wie stemde wat" in text and all(name in text for name in names)
