"""The minutes PDF closes the loop (read with pypdf): attendance with
organisations, substitutes and absentees; per item the decisions with number,
outcome and text, the motion vote with recusals, and the action items."""

from __future__ import annotations

from tafel import db
from tafel.decisions import services
from tafel.meetings import attendance
from tests.conftest import login
from tests.decisions.factories import held_decision_item
from tests.decisions.test_exports import record
from tests.factories import make_org, make_user
from tests.meetings.factories import pdf_text
from tests.responses.factories import make_action, ministry


def test_minutes_pdf_lists_attendance_decisions_votes_and_actions(app, client):
    with app.test_request_context():
        secretariat = make_user(email="secr@example.org", roles=("secretariaat",))
        anna = make_user(roles=("tafellid",), org=make_org(name="Alfa Chips B.V."))
        bram = make_user(roles=("tafellid",), org=make_org(name="Bravo Energie B.V."))
        carla = make_user(roles=("voorzitter",), org=make_org(name="Charlie Netwerk B.V."))
        _s, meeting, item, _subs = held_decision_item(secretariat)
        attendance.record_presence(
            meeting, secretariat, {anna.id: ("aanwezig", ""), bram.id: ("vervanger", "Dr. Vos")}
        )
        decision = record(item, secretariat, text="Netbeheerders krijgen voorrang.")
        services.open_motion(decision, secretariat, "simple", 1)
        services.recuse(decision, anna, "Werkt bij een netbeheerder")
        services.close_motion(decision, secretariat)
        make_action(decision=decision, owner=ministry("EZK"), description="Wetsvoorstel opstellen")
        db.session.commit()
        names = (anna.name, bram.name, carla.name)
        meeting_id, number = meeting.id, decision.number
    login(client, "secr@example.org")
    text = " ".join(pdf_text(client.get(f"/meetings/{meeting_id}/minutes.pdf").data).split())
    anna_name, bram_name, carla_name = names
    assert f"{anna_name} (Alfa Chips B.V.)" in text
    assert f"{bram_name} (Bravo Energie B.V.), vervangen door Dr. Vos" in text
    absent = text.split("Afwezig", 1)[1]
    assert f"{carla_name} (Charlie Netwerk B.V.)" in absent.split("1. ", 1)[0]
    assert f"Besluit {number}: Overnemen" in text
    assert "Netbeheerders krijgen voorrang." in text
    assert "Stemming: 0 voor, 0 tegen, 0 onthouding" in text
    assert f"{anna_name} (Werkt bij een netbeheerder)" in text
    assert "Wetsvoorstel opstellen" in text and "Ministerie van Economische Zaken" in text
