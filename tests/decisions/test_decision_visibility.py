"""Who learns about a decision, response or action item: nobody beyond the
readers of the reports it concerns."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tafel import db
from tafel.actions import services as actions
from tafel.core.models import MailMessage
from tafel.core.timefmt import local_today
from tafel.decisions import services
from tafel.decisions.models import Decision
from tafel.meetings import agenda as meeting_agenda
from tafel.responses import services as responses
from tafel.submissions.models import CoSignature, TimelineEvent
from tests.conftest import login, post
from tests.decisions.factories import held_decision_item, ministry
from tests.factories import make_org, make_submission, make_user
from tests.responses.factories import due_submission, make_response, ministry_user


def mails(email: str) -> int:
    return db.session.scalar(
        select(func.count(MailMessage.id)).where(MailMessage.recipient == email)
    )


def test_a_cosigner_who_may_not_read_the_report_hears_nothing(app):
    with app.test_request_context():
        secretariat, _meeting, item, (sub,) = held_decision_item(visibility="tafel")
        # A company whose own report was merged into this table-only one.
        outsider = make_user(org=make_org())
        db.session.add(CoSignature(submission_id=sub.id, organisation_id=outsider.organisation_id,
                                   user_id=outsider.id, evidence=""))  # fmt: skip
        member = make_user(roles=("tafellid",), org=make_org())
        db.session.add(CoSignature(submission_id=sub.id, organisation_id=member.organisation_id,
                                   user_id=member.id, evidence=""))  # fmt: skip
        db.session.commit()
        before = mails(outsider.email), mails(member.email)
        services.record_decision(item, secretariat, text="Besluit.", outcome="overnemen",
                                 submission_ids=[sub.id])  # fmt: skip
        db.session.commit()
        assert mails(outsider.email) == before[0]
        assert mails(member.email) == before[1] + 1


def test_reports_of_different_audiences_need_separate_decisions(app):
    with app.test_request_context():
        secretariat, _meeting, item, (public,) = held_decision_item(visibility="openbaar")
        table_only = make_submission(status="besproken", visibility="tafel")
        meeting_agenda.link_submission(item, table_only, secretariat)
        db.session.commit()
        try:
            services.record_decision(item, secretariat, text="Besluit.", outcome="overnemen",
                                     submission_ids=[public.id, table_only.id])  # fmt: skip
        except services.DecisionError as error:
            assert "dezelfde zichtbaarheid" in error.message
        else:
            raise AssertionError("a mixed decision was recorded")
        db.session.rollback()
        assert db.session.scalar(select(func.count(Decision.id))) == 0


def test_a_decision_on_a_table_only_item_stays_with_the_table(app, client):
    with app.test_request_context():
        secretariat, _meeting, item, _subs = held_decision_item(visibility="tafel")
        decision = services.record_decision(
            item, secretariat, text="Afspraak zonder meldingen.", outcome="overnemen",
            submission_ids=[],
        )  # fmt: skip
        db.session.commit()
        assert decision.public is False
        decision_id = decision.id
    assert client.get(f"/decisions/{decision_id}").status_code == 404
    assert "Afspraak zonder meldingen" not in client.get("/decisions/").get_data(as_text=True)
    assert "Afspraak zonder meldingen" not in client.get("/decisions/feed.atom").get_data(
        as_text=True
    )


def test_the_submitter_reads_the_decision_on_a_table_only_report(app, client):
    with app.test_request_context():
        secretariat, _meeting, item, (sub,) = held_decision_item(visibility="tafel")
        decision = services.record_decision(
            item, secretariat, text="Besluit over uw tafelmelding.", outcome="overnemen",
            submission_ids=[sub.id],
        )  # fmt: skip
        db.session.commit()
        decision_id, author = decision.id, sub.author.email
        stranger = make_user(org=make_org()).email
    login(client, author)
    assert client.get(f"/decisions/{decision_id}").status_code == 200
    post(client, "/auth/logout")
    login(client, stranger)
    assert client.get(f"/decisions/{decision_id}").status_code == 404


def test_action_items_of_a_draft_response_wait_for_publication(app, client):
    with app.test_request_context():
        sub = due_submission("EZK", visibility="openbaar", status="besloten")
        liaison = ministry_user("EZK")
        response = make_response(sub, status="ter_review", outcome="deels", explanation="Deels.")
        action = actions.create_action(
            response, liaison, description="CONCEPTMAATREGEL", owner=ministry("EZK"),
            due_date=local_today() + timedelta(days=30),
        )  # fmt: skip
        db.session.commit()
        action_id, sub_id, response_id = action.id, sub.id, response.id

        def on_timeline() -> bool:
            return bool(
                db.session.scalars(
                    select(TimelineEvent).where(
                        TimelineEvent.submission_id == sub_id, TimelineEvent.kind == "action"
                    )
                ).all()
            )

        assert not on_timeline()
    assert client.get(f"/actions/{action_id}").status_code == 404
    assert "CONCEPTMAATREGEL" not in client.get("/actions/").get_data(as_text=True)
    assert "CONCEPTMAATREGEL" not in client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    with app.test_request_context():
        from tafel.responses.models import Response

        secretariat = make_user(roles=("secretariaat",))
        responses.publish(db.session.get(Response, response_id), secretariat)
        db.session.commit()
        assert on_timeline()
    assert client.get(f"/actions/{action_id}").status_code == 200
    assert "CONCEPTMAATREGEL" in client.get(f"/submissions/{sub_id}").get_data(as_text=True)


def test_an_anonymous_submitter_is_not_offered_as_responsible(app, client):
    with app.test_request_context():
        anonymous_org = make_org(name="Stille Vennoot B.V.")
        author = make_user(org=anonymous_org)
        secretariat, _meeting, item, _subs = held_decision_item()
        hidden = make_submission(author=author, status="besproken", visibility="openbaar",
                                 show_organisation=False)  # fmt: skip
        meeting_agenda.link_submission(item, hidden, secretariat)
        db.session.commit()
        item_id, email = item.id, secretariat.email
    login(client, email)
    page = client.get(f"/decisions/new?item={item_id}").get_data(as_text=True)
    assert "Stille Vennoot" not in page
