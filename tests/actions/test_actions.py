"""Action items: who may do what, bad input, progress updates, the lists and
closing a submission."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.actions import closing
from tafel.actions import services as service
from tafel.actions.models import ActionItem, ActionUpdate
from tafel.core.models import AuditEntry, MailMessage
from tafel.core.timefmt import local_today
from tafel.notifications.models import Notification
from tafel.submissions.models import CoSignature, Submission, TimelineEvent
from tests.conftest import login, post
from tests.factories import make_org, make_user
from tests.responses.factories import (
    due_submission,
    make_action,
    make_decision,
    make_response,
    ministry,
    ministry_user,
)

ROLES = [
    None,
    "indiener",
    "tafellid",
    "secretariaat",
    "voorzitter",
    "departement",
    "departement_other",
    "owner",
]
STATES = ["gepland", "in_uitvoering", "gerealiseerd"]
ACTIONS = ["view list", "view item", "update", "create"]
# A confidential submission: read by its submitter, the secretariat, the chair
# and the responsible ministry (EZK) only.
READERS = {"indiener", "secretariaat", "voorzitter", "departement"}
NEXT = {"gepland": "in_uitvoering", "in_uitvoering": "gerealiseerd", "gerealiseerd": "vervallen"}


def future(days: int = 30) -> str:
    return (local_today() + timedelta(days=days)).isoformat()


def expected(role: str | None, state: str, action: str) -> int:
    """The status code, from the rules in tafel/actions/policies.py."""
    sees_item = role in READERS or role == "owner"
    if action == "view list":
        return 200
    if action == "view item":
        return 200 if sees_item else 404
    if role is None:
        return 302  # to the login page
    if action == "update":
        if not sees_item:
            return 404
        allowed = role in ("secretariaat", "owner") and state != "gerealiseerd"
        return 302 if allowed else 403
    # create, from the published response: only who may read it
    if role not in READERS:
        return 404
    return 302 if role in ("secretariaat", "departement") else 403


def actor_for(role: str, submitter, owner_org):
    if role == "indiener":
        return submitter
    if role == "owner":
        return make_user(org=owner_org)
    if role == "departement":
        return ministry_user("EZK")
    if role == "departement_other":
        return ministry_user("IenW")
    return make_user(roles=(role,))


def state_of(action_id: int) -> tuple:
    action = db.session.get(ActionItem, action_id)
    return (
        action.status,
        db.session.scalar(select(func.count(ActionUpdate.id))),
        db.session.scalar(select(func.count(ActionItem.id))),
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_action_permission_table(app, client, role, state, action):
    with app.app_context():
        submitter = make_user()
        sub = due_submission("EZK", author=submitter, visibility="vertrouwelijk")
        response = make_response(sub, status="gepubliceerd", outcome="overnemen")
        owner_org = make_org(name="Uitvoerder BV")
        item = make_action(
            response=response, owner=owner_org, status=state, description="Pilot opzetten"
        )
        ids = {"item": item.id, "response": response.id, "ezk": ministry("EZK").id}
        email = actor_for(role, submitter, owner_org).email if role else None
        before = state_of(ids["item"])
    if email:
        assert login(client, email).status_code == 302
    if action == "view list":
        result = client.get("/actions/")
    elif action == "view item":
        result = client.get(f"/actions/{ids['item']}")
    elif action == "update":
        result = post(
            client,
            f"/actions/{ids['item']}/update",
            {"status": NEXT[state], "text": "Voortgang en reden."},
        )
    else:
        result = post(
            client,
            f"/actions/new?response={ids['response']}",
            {"description": "Nog een actie", "owner": f"ministry-{ids['ezk']}",
             "due_date": future()},
        )  # fmt: skip

    want = expected(role, state, action)
    page = result.get_data(as_text=True)
    assert result.status_code == want, page[:1500]
    if want == 302 and role is None:
        assert result.headers["Location"].startswith("/auth/login")
    if want == 403:
        assert "Geen toegang" in page
    if action == "view list":
        assert ("Pilot opzetten" in page) == (role in READERS or role == "owner")
    if action == "view item" and want == 200:
        assert "Pilot opzetten" in page and "Uitvoerder BV" in page
    with app.app_context():
        after = state_of(ids["item"])
    succeeded = want == 302 and role is not None
    if succeeded and action == "update":
        assert after == (NEXT[state], before[1] + 1, before[2])
    elif succeeded and action == "create":
        assert after == (before[0], before[1], before[2] + 1)
    else:
        assert after == before


# Creating ---------------------------------------------------------------------------


def field_error(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error at {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Fout:", "").strip()


def test_due_date_in_the_past_is_refused_and_input_kept(app, client):
    with app.app_context():
        sub = due_submission("EZK")
        response = make_response(sub, status="gepubliceerd")
        make_user(email="sec@example.com", roles=("secretariaat",))
        response_id, ezk = response.id, ministry("EZK").id
    login(client, "sec@example.com")
    for day in (local_today().isoformat(), (local_today() - timedelta(days=3)).isoformat()):
        result = post(
            client,
            f"/actions/new?response={response_id}",
            {"description": "Regeling herzien", "owner": f"ministry-{ezk}", "due_date": day},
        )
        assert result.status_code == 422
        page = result.get_data(as_text=True)
        assert field_error(page, "due_date") == "De termijn moet in de toekomst liggen."
        assert "Regeling herzien" in page
        assert re.search(rf'<option selected value="ministry-{ezk}"', page)
        assert f'value="{day}"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ActionItem.id))) == 0


def test_owner_and_description_are_required(app, client):
    with app.app_context():
        sub = due_submission("EZK")
        response = make_response(sub, status="gepubliceerd")
        make_user(email="sec@example.com", roles=("secretariaat",))
        stranger = make_org(name="Niet betrokken BV")
        response_id, stranger_id = response.id, stranger.id
    login(client, "sec@example.com")
    result = post(
        client,
        f"/actions/new?response={response_id}",
        {"description": " ", "owner": f"organisation-{stranger_id}", "due_date": future()},
    )
    assert result.status_code == 422
    page = result.get_data(as_text=True)
    assert field_error(page, "description") == "Beschrijf het actiepunt."
    result = post(
        client,
        f"/actions/new?response={response_id}",
        {"description": "Iets doen", "owner": f"organisation-{stranger_id}", "due_date": future()},
    )
    assert result.status_code == 422
    assert field_error(result.get_data(as_text=True), "owner") == "Kies wie het actiepunt uitvoert."
    with app.app_context():
        assert db.session.scalar(select(func.count(ActionItem.id))) == 0


def test_owner_choices_are_ministries_and_the_organisations_concerned(app, client):
    with app.app_context():
        submitter = make_org(name="Indiener BV")
        supporter = make_org(name="Steunt BV")
        make_org(name="Buitenstaander BV")
        sub = due_submission("EZK", org=submitter)
        db.session.add(CoSignature(submission_id=sub.id, organisation_id=supporter.id))
        db.session.commit()
        decision = make_decision([sub])
        make_user(email="sec@example.com", roles=("secretariaat",))
        decision_id = decision.id
    login(client, "sec@example.com")
    page = client.get(f"/actions/new?decision={decision_id}").get_data(as_text=True)
    assert "Organisatie: Indiener BV" in page and "Organisatie: Steunt BV" in page
    assert "Buitenstaander" not in page
    assert "Ministerie: Ministerie van Economische Zaken en Klimaat" in page
    assert 'for="owner"' in page


def test_creating_from_a_decision_is_for_the_secretariat(app, client):
    with app.app_context():
        submitter = make_user(email="indiener@example.com")
        sub = due_submission("EZK", author=submitter)
        decision = make_decision([sub])
        ministry_user("EZK", email="ezk@example.com")
        make_user(email="sec@example.com", roles=("secretariaat",))
        decision_id, ezk, sub_id = decision.id, ministry("EZK").id, sub.id
    form = {"description": "Wetsvoorstel voorbereiden", "owner": f"ministry-{ezk}",
            "due_date": future(60)}  # fmt: skip
    url = f"/actions/new?decision={decision_id}"
    login(client, "ezk@example.com")
    assert client.get(url).status_code == 403
    assert post(client, url, form).status_code == 403
    post(client, "/auth/logout")
    login(client, "sec@example.com")
    result = post(client, url, form)
    assert result.status_code == 302
    with app.app_context():
        item = db.session.scalars(select(ActionItem)).one()
        assert (item.decision_id, item.owner_ministry_id, item.status) == (
            decision_id,
            ezk,
            "gepland",
        )
        assert result.headers["Location"].endswith(f"/actions/{item.id}")
        event = db.session.scalars(
            select(TimelineEvent).where(
                TimelineEvent.submission_id == sub_id, TimelineEvent.kind == "action"
            )
        ).one()
        assert event.data["description"] == "Wetsvoorstel voorbereiden"
        # The owner (the ministry's departement users) hears about it.
        assert (
            db.session.scalar(
                select(func.count(MailMessage.id)).where(MailMessage.recipient == "ezk@example.com")
            )
            == 1
        )
        assert (
            db.session.scalar(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "action.create")
            )
            == 1
        )


def test_unknown_or_invisible_origin_is_404(app, client):
    with app.app_context():
        sub = due_submission("EZK", visibility="vertrouwelijk")
        response = make_response(sub, status="gepubliceerd")
        make_user(email="lid@example.com", roles=("tafellid",))
        response_id = response.id
    login(client, "lid@example.com")
    assert client.get(f"/actions/new?response={response_id}").status_code == 404
    assert client.get("/actions/new?response=999999").status_code == 404
    assert client.get("/actions/new").status_code == 404


# Updating ---------------------------------------------------------------------------


def test_vervallen_needs_a_reason(app, client):
    with app.app_context():
        sub = due_submission("EZK")
        item = make_action(response=make_response(sub, status="gepubliceerd"))
        make_user(email="sec@example.com", roles=("secretariaat",))
        item_id = item.id
    login(client, "sec@example.com")
    result = post(client, f"/actions/{item_id}/update", {"status": "vervallen", "text": ""})
    assert result.status_code == 422
    page = result.get_data(as_text=True)
    assert field_error(page, "text") == "Geef aan waarom het actiepunt vervalt."
    assert re.search(r'value="vervallen"[^>]*checked|checked[^>]*value="vervallen"', page)
    with app.app_context():
        assert db.session.get(ActionItem, item_id).status == "gepland"
        assert db.session.scalar(select(func.count(ActionUpdate.id))) == 0
    result = post(
        client,
        f"/actions/{item_id}/update",
        {"status": "vervallen", "text": "Wet is al gewijzigd."},
    )
    assert result.status_code == 302
    with app.app_context():
        item = db.session.get(ActionItem, item_id)
        assert (item.status, item.reason) == ("vervallen", "Wet is al gewijzigd.")
        assert item.completed_at is not None


def test_in_uitvoering_does_not_go_back_to_gepland(app, client):
    with app.app_context():
        sub = due_submission("EZK")
        item = make_action(
            response=make_response(sub, status="gepubliceerd"), status="in_uitvoering"
        )
        make_user(email="sec@example.com", roles=("secretariaat",))
        item_id = item.id
    login(client, "sec@example.com")
    result = post(client, f"/actions/{item_id}/update", {"status": "gepland", "text": "Terug"})
    assert result.status_code == 422
    assert "gaat niet terug naar gepland" in result.get_data(as_text=True)
    # The same stand again is a progress note, which needs words.
    result = post(client, f"/actions/{item_id}/update", {"status": "in_uitvoering", "text": ""})
    assert result.status_code == 422
    assert field_error(result.get_data(as_text=True), "text") == "Beschrijf de voortgang."
    with app.app_context():
        assert db.session.get(ActionItem, item_id).status == "in_uitvoering"


def test_update_records_audits_tells_and_appears_on_each_timeline(app, client):
    with app.app_context():
        first_author = make_user(email="een@example.com")
        second_author = make_user(email="twee@example.com")
        first = due_submission("EZK", author=first_author)
        second = due_submission("EZK", author=second_author)
        decision = make_decision([first, second])
        owner = ministry_user("EZK", email="ezk@example.com")
        item = make_action(decision=decision, owner=ministry("EZK"))
        item_id, sub_ids = item.id, [first.id, second.id]
        assert owner.id
    login(client, "ezk@example.com")
    result = post(
        client, f"/actions/{item_id}/update", {"status": "in_uitvoering", "text": "Gestart."}
    )
    assert result.status_code == 302
    with app.app_context():
        update = db.session.scalars(select(ActionUpdate)).one()
        assert (update.status, update.text) == ("in_uitvoering", "Gestart.")
        audit = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "action.update")
        ).one()
        assert audit.before == {"status": "gepland"}
        for sub_id in sub_ids:
            event = db.session.scalars(
                select(TimelineEvent).where(
                    TimelineEvent.submission_id == sub_id, TimelineEvent.kind == "action"
                )
            ).one()
            assert event.data["status"] == "in_uitvoering"
        for email in ("een@example.com", "twee@example.com"):
            assert (
                db.session.scalar(
                    select(func.count(MailMessage.id)).where(MailMessage.recipient == email)
                )
                == 1
            )
        assert db.session.get(ActionItem, item_id).completed_at is None
    page = client.get(f"/submissions/{sub_ids[0]}").get_data(as_text=True)
    assert "Actiepunt ‘Regeling aanpassen’: In uitvoering" in page
    page = client.get(f"/actions/{item_id}").get_data(as_text=True)
    assert "Gestart." in page

    assert post(client, f"/actions/{item_id}/update", {"status": "gerealiseerd"}).status_code == 302
    with app.app_context():
        assert db.session.get(ActionItem, item_id).completed_at is not None
    # Final: no more updates.
    result = post(client, f"/actions/{item_id}/update", {"status": "in_uitvoering", "text": "x"})
    assert result.status_code == 403


def test_progress_is_not_urgent_for_digest_readers(app, ctx):
    author = make_user()
    author.mail_digest = True
    sub = due_submission("EZK", author=author)
    item = make_action(response=make_response(sub, status="gepubliceerd"))
    service.update_action(item, make_user(roles=("secretariaat",)), status="in_uitvoering", text="")
    db.session.flush()
    note = db.session.scalars(select(Notification).where(Notification.user_id == author.id)).one()
    assert note.mail_pending
    assert db.session.scalar(select(func.count(MailMessage.id))) == 0


# Lists ------------------------------------------------------------------------------


def test_secretariat_filters_and_overdue_marker(app, client):
    with app.app_context():
        sub = due_submission("EZK")
        response = make_response(sub, status="gepubliceerd")
        make_action(response=response, owner=ministry("EZK"), days=-2, description="Te laat actie")
        make_action(response=response, owner=ministry("IenW"), days=9, description="Op tijd actie")
        make_action(response=response, owner=ministry("EZK"), days=-5, status="gerealiseerd",
                    description="Klaar actie")  # fmt: skip
        make_user(email="sec@example.com", roles=("secretariaat",))
        ezk = ministry("EZK").id
    login(client, "sec@example.com")
    page = client.get("/actions/").get_data(as_text=True)
    rows = {t: r for r in page.split("<tr") for t in ("Te laat", "Op tijd", "Klaar") if t in r}
    assert "Termijn verstreken" in rows["Te laat"]
    assert "Termijn verstreken" not in rows["Op tijd"]
    assert "Termijn verstreken" not in rows["Klaar"]
    overdue = client.get("/actions/?overdue=1").get_data(as_text=True)
    assert "Te laat actie" in overdue and "Op tijd" not in overdue and "Klaar actie" not in overdue
    done = client.get("/actions/?status=gerealiseerd").get_data(as_text=True)
    assert "Klaar actie" in done and "Te laat actie" not in done
    mine = client.get(f"/actions/?ministry={ezk}").get_data(as_text=True)
    assert "Te laat actie" in mine and "Op tijd actie" not in mine


def test_my_action_items(app, client):
    with app.app_context():
        sub = due_submission("EZK", visibility="vertrouwelijk")
        response = make_response(sub, status="gepubliceerd")
        me = make_user(email="ik@example.com")
        make_action(response=response, owner=me.organisation, description="Mijn organisatie")
        make_action(response=response, owner=me, description="Ikzelf")
        make_action(response=response, owner=ministry("EZK"), description="Van het ministerie")
    login(client, "ik@example.com")
    page = client.get("/actions/").get_data(as_text=True)
    section = page.split('id="mine-heading"')[1].split('id="all-heading"')[0]
    assert "Mijn organisatie" in section and "Ikzelf" in section
    # The full list (with its filters) holds them too.
    rest = page.split('id="all-heading"')[1]
    assert "Mijn organisatie" in rest and "Ikzelf" in rest
    assert "Van het ministerie" not in page  # a confidential submission of someone else


def list_statements(client, count_queries) -> int:
    client.get("/actions/")
    with count_queries() as statements:
        assert client.get("/actions/").status_code == 200
    return len(statements)


@pytest.mark.parametrize("role", ["secretariaat", "departement"])
def test_list_queries_do_not_grow_with_the_rows(app, client, count_queries, role):
    with app.app_context():
        who = (
            ministry_user("EZK", email="who@example.com")
            if role == "departement"
            else make_user(email="who@example.com", roles=(role,))
        )
        who_id = who.id

    def add(n):
        with app.app_context():
            owner = db.session.get(type(who), who_id)
            for i in range(n):
                sub = due_submission("EZK")
                origin = {"response": make_response(sub, status="gepubliceerd")}
                if i % 2:
                    origin = {"decision": make_decision([sub])}
                kinds = [ministry("EZK"), owner.organisation, owner, ministry("IenW")]
                make_action(owner=kinds[i % 4], days=i - 3, **origin)

    login(client, "who@example.com")
    add(3)
    few = list_statements(client, count_queries)
    add(9)
    many = list_statements(client, count_queries)
    assert few == many, f"{few} statements for 3 items, {many} for 12"


# Closing a submission ---------------------------------------------------------------


def submission_status(sub_id: int) -> str:
    return db.session.get(Submission, sub_id).status


def test_closing_after_a_published_niet(app, client):
    with app.app_context():
        submitter = make_user(email="indiener@example.com")
        sub = due_submission("EZK", author=submitter, status="besloten")
        # A co-signer reads the (tafel) report: a table member's organisation.
        supporter = make_user(email="steun@example.com", roles=("tafellid",))
        db.session.add(CoSignature(submission_id=sub.id, organisation_id=supporter.organisation_id,
                                   user_id=supporter.id))  # fmt: skip
        db.session.commit()
        make_response(sub, status="gepubliceerd", outcome="niet", explanation="Nee.")
        make_user(email="sec@example.com", roles=("secretariaat",))
        sub_id = sub.id
        assert closing.closable(db.session.get(Submission, sub_id))
    login(client, "sec@example.com")
    assert "Melding afhandelen" in client.get(f"/actions/close/{sub_id}").get_data(as_text=True)
    result = post(client, f"/actions/close/{sub_id}")
    assert result.status_code == 302
    with app.app_context():
        assert submission_status(sub_id) == "afgehandeld"
        event = db.session.scalars(
            select(TimelineEvent).where(
                TimelineEvent.submission_id == sub_id, TimelineEvent.kind == "closed"
            )
        ).one()
        assert event.data["status"] == "afgehandeld"
        for email in ("indiener@example.com", "steun@example.com"):
            assert (
                db.session.scalar(
                    select(func.count(MailMessage.id)).where(MailMessage.recipient == email)
                )
                == 1
            )
    page = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "handelde de melding af" in page


@pytest.mark.parametrize(
    "setup, closable",
    [
        ("nothing", False),
        ("response overnemen, no actions", False),
        ("response niet, not yet published", False),
        ("one action open", False),
        ("actions gerealiseerd and vervallen", True),
        ("decision action gerealiseerd", True),
        ("decision action gerealiseerd, response action open", False),
    ],
)
def test_closing_rules(app, client, setup, closable):
    with app.app_context():
        sub = due_submission("EZK", status="besloten")
        sub_id = sub.id
        if "response" in setup or "actions" in setup or setup == "one action open":
            outcome = "niet" if "niet" in setup else "overnemen"
            status = "ter_review" if "not yet" in setup else "gepubliceerd"
            response = make_response(sub, status=status, outcome=outcome, explanation="Nee.")
        if setup == "one action open":
            make_action(response=response, status="gerealiseerd")
            make_action(response=response, status="in_uitvoering")
        if setup == "actions gerealiseerd and vervallen":
            make_action(response=response, status="gerealiseerd")
            make_action(response=response, status="vervallen")
        if setup.startswith("decision"):
            make_action(decision=make_decision([sub]), status="gerealiseerd")
        if "response action open" in setup:
            make_action(response=response, status="gepland")
        assert closing.closable(db.session.get(Submission, sub_id)) is closable
        make_user(email="sec@example.com", roles=("secretariaat",))
    login(client, "sec@example.com")
    result = post(client, f"/actions/close/{sub_id}")
    assert result.status_code == (302 if closable else 422)
    if not closable:
        page = result.get_data(as_text=True)
        assert "De melding is niet afgehandeld" in page
        assert "gerealiseerd of vervallen" in page
    with app.app_context():
        assert submission_status(sub_id) == ("afgehandeld" if closable else "besloten")


def test_closing_is_for_the_secretariat_only(app, client):
    with app.app_context():
        sub = due_submission("EZK", visibility="vertrouwelijk")
        make_response(sub, status="gepubliceerd", outcome="niet", explanation="Nee.")
        make_user(email="voorzitter@example.com", roles=("voorzitter",))
        ministry_user("EZK", email="ezk@example.com")
        make_user(email="lid@example.com", roles=("tafellid",))
        sub_id = sub.id
    url = f"/actions/close/{sub_id}"
    assert post(client, url).headers["Location"].startswith("/auth/login")
    for email, code in [
        ("voorzitter@example.com", 403),
        ("ezk@example.com", 403),
        ("lid@example.com", 404),
    ]:
        login(client, email)
        assert post(client, url).status_code == code, email
        assert client.get(url).status_code == code, email
        post(client, "/auth/logout")
    with app.app_context():
        assert submission_status(sub_id) == "aanvaard"


def test_a_submission_still_in_triage_cannot_be_closed(app, ctx):
    sub = due_submission("EZK", status="in_behandeling")
    make_response(sub, status="gepubliceerd", outcome="niet", explanation="Nee.")
    assert not closing.closable(sub)
    with pytest.raises(service.ActionError):
        closing.close_submission(sub, make_user(roles=("secretariaat",)))


def test_an_item_finished_meanwhile_is_not_overwritten(app):
    """Two people update the same item: the second works from a stale page."""
    from tafel.actions import services as action_services
    from tafel.actions.models import ActionItem

    with app.test_request_context():
        sub = due_submission("EZK", status="besloten")
        response = make_response(sub, status="gepubliceerd", outcome="deels", explanation="Deels.")
        item = make_action(response=response, owner=ministry("EZK"), status="in_uitvoering")
        secretariat = make_user(roles=("secretariaat",))
        item_id = item.id
        stale = db.session.get(ActionItem, item_id)
        db.session.execute(
            ActionItem.__table__.update().values(status="gerealiseerd")
        )  # done in another request
        with pytest.raises(action_services.ActionError, match="net bijgewerkt"):
            action_services.update_action(stale, secretariat, status="vervallen", text="Weg.")
        status = db.session.scalar(select(ActionItem.status).where(ActionItem.id == item_id))
        assert status == "gerealiseerd"
