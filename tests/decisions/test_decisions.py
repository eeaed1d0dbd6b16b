"""Recording decisions: numbers, outcomes, the submitter's timeline, amendments,
the register's visibility and the motion vote."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from tafel import db
from tafel.core.models import AuditEntry, MailMessage
from tafel.decisions import services
from tafel.decisions.models import Decision, Motion
from tafel.submissions.models import Submission, TimelineEvent
from tests.conftest import login, post
from tests.decisions.factories import held_decision_item, ministry, present
from tests.factories import make_org, make_user


def record(item, secretariat, **fields):
    values = {
        "text": "De tafel verzoekt EZK een verkenning te doen.",
        "outcome": "overnemen",
        "submission_ids": [link.submission_id for link in item.links],
    }
    values.update(fields)
    return services.record_decision(item, secretariat, **values)


def test_numbers_run_on_per_year_without_gaps(app):
    with app.test_request_context():
        secretariat, _meeting, item, _subs = held_decision_item()
        first = record(item, secretariat)
        db.session.commit()
        second = record(item, secretariat)
        db.session.rollback()  # a failed request gives its number back
        third = record(item, secretariat)
        db.session.commit()
        year = first.year
        assert first.number == f"B-{year}-001"
        assert third.number == f"B-{year}-002"
        assert second.number == f"B-{year}-002"  # handed out, then rolled back
        assert db.session.scalar(select(func.count(Decision.id))) == 2


def test_two_decisions_recorded_at_once_get_consecutive_numbers(app, database_url):
    """Two workers record a decision at the same moment (on SQLite the second
    writer waits for the first: BEGIN IMMEDIATE)."""
    from tafel import create_app
    from tafel.meetings.models import AgendaItem
    from tests.conftest import make_config

    with app.test_request_context():
        secretariat, _meeting, item, _subs = held_decision_item()
        item_id, actor_id = item.id, secretariat.id
    workers = [app, create_app(make_config(database_url))]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    sqlite = database_url.startswith("sqlite")

    def work(worker):
        try:
            with worker.test_request_context(method="POST"):  # as the form's request
                from tafel.accounts.models import User

                if sqlite:  # the request's first read takes the write lock: start together
                    barrier.wait(timeout=10)
                row = db.session.get(AgendaItem, item_id)
                actor = db.session.get(User, actor_id)
                row.meeting, row.links  # noqa: B018 - load before racing
                if not sqlite:
                    barrier.wait(timeout=10)
                record(row, actor)
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    workers[1].extensions["tafel_engine"].dispose()
    assert errors == []
    with app.app_context():
        numbers = sorted(db.session.scalars(select(Decision.sequence)))
    assert numbers == [1, 2]


@pytest.mark.parametrize("outcome", ["deels", "niet"])
def test_partial_or_rejected_needs_an_explanation(app, client, outcome):
    with app.app_context():
        secretariat, _meeting, item, (sub,) = held_decision_item()
        item_id, sub_id, email = item.id, sub.id, secretariat.email
    login(client, email)
    response = post(
        client,
        f"/decisions/new?item={item_id}",
        {"text": "Het voorstel wordt niet overgenomen.", "outcome": outcome,
         "submissions": str(sub_id)},
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Licht toe waarom het voorstel niet of deels wordt overgenomen." in page
    assert "Het voorstel wordt niet overgenomen." in page  # input kept
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id))) == 0
        assert db.session.get(Submission, sub_id).status == "besproken"


def test_no_decision_on_a_meeting_not_yet_held(app, client):
    with app.app_context():
        secretariat, _meeting, item, (sub,) = held_decision_item(status="gepubliceerd")
        item_id, sub_id, email = item.id, sub.id, secretariat.email
    login(client, email)
    response = post(
        client,
        f"/decisions/new?item={item_id}",
        {"text": "Overnemen.", "outcome": "overnemen", "submissions": str(sub_id)},
    )
    assert response.status_code == 422
    assert "Een besluit wordt vastgelegd nadat de vergadering is gehouden." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(Decision.id))) == 0
        assert db.session.get(Submission, sub_id).status == "geagendeerd"


def test_recording_moves_the_report_and_tells_the_submitter(app, client):
    with app.app_context():
        secretariat, _meeting, item, (sub,) = held_decision_item()
        item_id, sub_id, email, author = item.id, sub.id, secretariat.email, sub.author.email
        ezk = ministry().id
    login(client, email)
    response = post(
        client,
        f"/decisions/new?item={item_id}",
        {"text": "EZK verkent met de netbeheerder een voorrangsregeling.", "outcome": "deels",
         "explanation": "Voorrang voor één sector past niet in het kader.",
         "ministry": str(ezk), "organisation": "", "submissions": str(sub_id)},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        decision = db.session.scalars(select(Decision)).one()
        assert decision.ministry_id == ezk and decision.public
        assert db.session.get(Submission, sub_id).status == "besloten"
        event = db.session.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.submission_id == sub_id)
            .order_by(TimelineEvent.id.desc())
        ).first()
        assert event.kind == "decision" and event.data["number"] == decision.number
        mail = db.session.scalars(
            select(MailMessage)
            .where(MailMessage.recipient == author)
            .order_by(MailMessage.id.desc())
        ).first()
        assert f"Besluit {decision.number} over uw melding: Deels overnemen." in mail.body
        assert (
            db.session.scalar(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "decision.record")
            )
            == 1
        )
        number, decision_id = decision.number, decision.id
    post(client, "/auth/logout")
    timeline = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert f"Besluit {number} van de tafel: Deels overnemen" in timeline
    page = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert "Voorrang voor één sector past niet in het kader." in page
    assert number in client.get("/decisions/").get_data(as_text=True)


def test_an_amendment_is_dated_and_leaves_the_text(app, client):
    with app.app_context():
        secretariat, _meeting, item, _subs = held_decision_item()
        decision = record(item, secretariat)
        db.session.commit()
        decision_id, email, text = decision.id, secretariat.email, decision.text
    login(client, email)
    response = post(client, f"/decisions/{decision_id}/amend", {"text": ""})
    assert response.status_code == 422
    response = post(client, f"/decisions/{decision_id}/amend", {"text": "Termijn: 1 maart."})
    assert response.status_code == 302
    page = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert "Termijn: 1 maart." in page and text in page and "Gewijzigd op" in page
    with app.app_context():
        assert db.session.get(Decision, decision_id).text == text


@pytest.mark.parametrize("visibility", ["tafel", "vertrouwelijk"])
def test_register_hides_what_the_public_may_not_read(app, client, visibility):
    with app.app_context():
        secretariat, _meeting, item, (sub,) = held_decision_item(visibility="tafel")
        if visibility == "vertrouwelijk":
            sub.visibility = "vertrouwelijk"
        decision = record(item, secretariat, text="Geheime afspraak over de netaansluiting.")
        db.session.commit()
        decision_id = decision.id
        outsider = make_user(roles=("indiener",), org=make_org())
        member = make_user(roles=("tafellid",))
        emails = outsider.email, member.email
    for who in (None, emails[0]):
        if who:
            login(client, who)
        assert client.get(f"/decisions/{decision_id}").status_code == 404
        assert "Geheime afspraak" not in client.get("/decisions/").get_data(as_text=True)
        post(client, "/auth/logout")
    login(client, emails[1])
    expected = 200 if visibility == "tafel" else 404
    assert client.get(f"/decisions/{decision_id}").status_code == expected


def test_register_filters(app, client):
    with app.app_context():
        secretariat, _meeting, item, _subs = held_decision_item()
        record(item, secretariat, text="Besluit over subsidies.", outcome="overnemen")
        record(item, secretariat, text="Besluit over vergunningen.", outcome="niet",
               explanation="Past niet in de wet.")  # fmt: skip
        db.session.commit()
    page = client.get("/decisions/?outcome=niet").get_data(as_text=True)
    assert "vergunningen" in page and "subsidies" not in page
    page = client.get("/decisions/?q=subsidie").get_data(as_text=True)
    assert "subsidies" in page and "vergunningen" not in page
    page = client.get("/decisions/?implementation=geen_acties&year=1999").get_data(as_text=True)
    assert "subsidies" not in page and "0 besluiten" in page


# Motion votes -----------------------------------------------------------------------


@given(st.lists(st.sampled_from(["voor", "tegen", "onthouding"]), max_size=40))
def test_tally_counts_and_majorities(choices):
    simple = services.tally(choices, "simple")
    two_thirds = services.tally(choices, "two_thirds")
    assert simple.votes_for + simple.votes_against + simple.abstentions == len(choices)
    assert simple.adopted == (simple.votes_for > simple.votes_against)
    # Two thirds is stricter than a simple majority, and abstentions never count against.
    assert not two_thirds.adopted or simple.adopted
    with_abstention = services.tally([*choices, "onthouding"], "two_thirds")
    assert with_abstention.adopted == two_thirds.adopted


def test_motion_with_a_recusal_and_a_member_not_present(app, client):
    with app.app_context():
        secretariat, meeting, item, _subs = held_decision_item()
        chair = make_user(roles=("voorzitter",))
        voters = [make_user(roles=("tafellid",)) for _ in range(3)]
        absent = make_user(roles=("tafellid",))
        present(meeting, chair, *voters)
        decision = record(item, secretariat)
        services.open_motion(decision, chair, "two_thirds", 3)
        db.session.commit()
        decision_id = decision.id
        emails = [v.email for v in voters]
        chair_email, absent_email = chair.email, absent.email
    url = f"/decisions/{decision_id}"
    login(client, absent_email)
    response = post(client, f"{url}/vote", {"choice": "voor"})
    assert response.status_code == 422
    assert "Alleen tafelleden die aanwezig zijn, kunnen stemmen." in response.get_data(as_text=True)
    for email, choice in zip(emails[:2], ["voor", "tegen"], strict=True):
        post(client, "/auth/logout")
        login(client, email)
        assert post(client, f"{url}/vote", {"choice": choice}).status_code == 302
    post(client, "/auth/logout")
    login(client, emails[2])
    response = post(client, f"{url}/recuse", {"reason": ""})
    assert response.status_code == 422
    assert post(client, f"{url}/recuse", {"reason": "Mijn bedrijf is partij."}).status_code == 302
    assert post(client, f"{url}/vote", {"choice": "voor"}).status_code == 422
    post(client, "/auth/logout")
    login(client, chair_email)
    assert post(client, f"{url}/motion/close").status_code == 302
    with app.app_context():
        motion = db.session.scalars(select(Motion)).one()
        assert (motion.votes_for, motion.votes_against, motion.abstentions) == (1, 1, 0)
        assert motion.quorum_met is True and motion.adopted is False  # 1 of 2 is not 2/3
        assert len(motion.recusals) == 1
    page = client.get(url).get_data(as_text=True)
    assert "Verworpen" in page and "Mijn bedrijf is partij." in page
    # After closing nobody votes any more.
    post(client, "/auth/logout")
    login(client, emails[0])
    response = post(client, f"{url}/vote", {"choice": "tegen"})
    assert response.status_code == 422
    assert "De stemming is gesloten." in response.get_data(as_text=True)


def test_a_vote_after_the_close_is_refused_even_from_a_stale_page(app):
    """The member's request loaded the motion while it was open; the chair
    closed it before the vote was stored."""
    from tafel.accounts.models import User

    with app.test_request_context():
        secretariat, meeting, item, _subs = held_decision_item()
        member = make_user(roles=("tafellid",))
        present(meeting, member)
        decision = record(item, secretariat)
        services.open_motion(decision, secretariat, "simple", 1)
        db.session.commit()
        decision_id, member_id = decision.id, member.id
        stale = db.session.get(Decision, decision_id)
        stale.motion  # noqa: B018 - loaded while open
        db.session.execute(
            Motion.__table__.update().values(closed_at=func.now())
        )  # another worker closes it
        with pytest.raises(services.DecisionError, match="De stemming is gesloten."):
            services.cast_vote(stale, db.session.get(User, member_id), "voor")
        from tafel.decisions.models import MotionVote

        assert db.session.scalar(select(func.count(MotionVote.id))) == 0


def test_decision_page_queries_do_not_grow_with_votes(app, client, count_queries):
    sizes = []
    for voters in (1, 6):
        with app.test_request_context():
            secretariat, meeting, item, _subs = held_decision_item()
            members = [make_user(roles=("tafellid",)) for _ in range(voters)]
            present(meeting, *members)
            decision = record(item, secretariat)
            services.open_motion(decision, secretariat, "simple", 1)
            for member in members:
                services.cast_vote(decision, member, "voor")
            db.session.commit()
            decision_id, email = decision.id, members[0].email
        viewer = app.test_client()
        login(viewer, email)
        viewer.get(f"/decisions/{decision_id}")
        with count_queries() as statements:
            assert viewer.get(f"/decisions/{decision_id}").status_code == 200
        sizes.append(len(statements))
    assert sizes[0] == sizes[1], sizes


def test_a_wrong_quorum_is_explained_at_its_field(app, client):
    with app.test_request_context():
        secretariat, _meeting, item, _subs = held_decision_item()
        decision = record(item, secretariat)
        db.session.commit()
        decision_id, email = decision.id, secretariat.email
    login(client, email)
    response = post(
        client, f"/decisions/{decision_id}/motion", {"majority": "two_thirds", "quorum": "0"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="quorum-error">Het quorum is ten minste 1 aanwezig lid.' in page
    assert '<option value="two_thirds" selected>' in page and 'value="0"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Motion.id))) == 0
