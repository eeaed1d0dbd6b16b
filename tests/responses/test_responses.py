"""Ministry responses: who may do what, bad input, publication, the queue and
the reminders."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.core.models import AuditEntry, MailMessage
from tafel.core.timefmt import local_today
from tafel.responses import queries, reminders
from tafel.responses import services as service
from tafel.responses.models import Response
from tafel.submissions.models import CoSignature, Submission, TimelineEvent
from tests.conftest import login, post
from tests.factories import make_org, make_user
from tests.responses.factories import (
    due_submission,
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
]
STATES = ["none", "concept", "ter_review", "gepubliceerd"]
ACTIONS = {
    "view queue": ("GET", "/responses/"),
    "view page": ("GET", "/responses/{sub}"),
    "save draft": ("POST", "/responses/{sub}"),
    "submit": ("POST", "/responses/{sub}"),
    "publish": ("POST", "/responses/{sub}/publish"),
    "return": ("POST", "/responses/{sub}/return"),
}
FORMS = {
    "save draft": {"outcome": "deels", "explanation": "Alleen voor mkb.", "action": "save"},
    "submit": {"outcome": "deels", "explanation": "Alleen voor mkb.", "action": "submit"},
    "publish": {},
    "return": {"note": "Graag de maatregelen uitwerken."},
}
# What each successful action leaves in the database.
AFTER = {
    "save draft": ("concept", "deels"),
    "submit": ("ter_review", "deels"),
    "publish": ("gepubliceerd", "niet"),
    "return": ("concept", "niet"),
}


def expected(role: str | None, state: str, action: str) -> int:
    """The status code, from the rules in tafel/responses/policies.py, for a
    submission visible to the table (visibility 'tafel')."""
    if action == "view queue":
        if role is None:
            return 302
        listed = {"secretariaat", "voorzitter", "departement", "departement_other"}
        return 200 if role in listed else 403
    if state == "gepubliceerd":
        visible = role is not None  # everyone signed in here may read the submission
    else:
        visible = role in ("secretariaat", "voorzitter", "departement")
    if action == "view page":
        return 200 if visible else 404
    if role is None:
        return 302  # to the login page
    if not visible:
        return 404
    if action in ("save draft", "submit"):
        allowed = role == "departement" and state in ("none", "concept")
    else:
        allowed = role == "secretariaat" and state == "ter_review"
    return 302 if allowed else 403


def actor_for(role: str, submitter):
    if role == "indiener":
        return submitter
    if role == "departement":
        return ministry_user("EZK")
    if role == "departement_other":
        return ministry_user("IenW")
    return make_user(roles=(role,))


def row_state(sub_id: int):
    row = db.session.scalar(select(Response).where(Response.submission_id == sub_id))
    return None if row is None else (row.status, row.outcome)


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_response_permission_table(app, client, role, state, action):
    with app.app_context():
        submitter = make_user(roles=("indiener",))
        sub = due_submission("EZK", author=submitter, title="Netcongestie bij uitbreiding")
        sub_id = sub.id
        if state != "none":
            make_response(sub, status=state, outcome="niet", explanation="Past niet in beleid.")
        email = actor_for(role, submitter).email if role else None
        before = row_state(sub_id)
    if email:
        assert login(client, email).status_code == 302
    method, path = ACTIONS[action]
    url = path.format(sub=sub_id)
    response = client.get(url) if method == "GET" else post(client, url, FORMS[action])

    want = expected(role, state, action)
    assert response.status_code == want, response.get_data(as_text=True)[:1500]
    page = response.get_data(as_text=True)
    if want == 302 and role is None:
        assert response.headers["Location"].startswith("/auth/login")
    if want == 403:
        assert "Geen toegang" in page
    if action == "view page" and want == 200:
        assert "Netcongestie bij uitbreiding" in page
    if action == "view queue" and want == 200:
        listed = role != "departement_other" and state != "gepubliceerd"
        assert (f"#{sub_id} Netcongestie" in page) == listed
    with app.app_context():
        after = row_state(sub_id)
    succeeded = want == 302 and method == "POST" and role is not None
    assert after == (AFTER[action] if succeeded else before)


# The other ministry and confidential submissions ------------------------------------


@pytest.mark.parametrize("state", ["none", "concept", "ter_review"])
def test_another_ministry_gets_404_for_everything(app, client, state):
    with app.app_context():
        sub = due_submission("EZK")
        sub_id = sub.id
        if state != "none":
            make_response(sub, status=state, outcome="overnemen")
        email = ministry_user("IenW").email
        before = row_state(sub_id)
    login(client, email)
    assert client.get(f"/responses/{sub_id}").status_code == 404
    for path, data in [
        ("", FORMS["save draft"]),
        ("", FORMS["submit"]),
        ("/publish", {}),
        ("/return", FORMS["return"]),
    ]:
        assert post(client, f"/responses/{sub_id}{path}", data).status_code == 404
    assert f"#{sub_id} " not in client.get("/responses/").get_data(as_text=True)
    with app.app_context():
        assert row_state(sub_id) == before


def test_published_response_on_a_confidential_submission_stays_confidential(app, client):
    with app.app_context():
        submitter = make_user(email="indiener@example.com")
        sub = due_submission("EZK", author=submitter, visibility="vertrouwelijk")
        sub_id = sub.id
        make_response(sub, status="gepubliceerd", outcome="niet", explanation="Geheim.")
        make_user(email="ander-bedrijf@example.com")
        make_user(email="lid@example.com", roles=("tafellid",))
        ministry_user("IenW", email="ienw@example.com")
        ministry_user("EZK", email="ezk@example.com")
        make_user(email="secretariaat@example.com", roles=("secretariaat",))
    url = f"/responses/{sub_id}"
    assert client.get(url).status_code == 404  # anonymous
    for email, code in [
        ("ander-bedrijf@example.com", 404),
        ("lid@example.com", 404),
        ("ienw@example.com", 404),
        ("indiener@example.com", 200),
        ("ezk@example.com", 200),
        ("secretariaat@example.com", 200),
    ]:
        post(client, "/auth/logout")
        login(client, email)
        response = client.get(url)
        assert response.status_code == code, email
        if code == 200:
            assert "Geheim." in response.get_data(as_text=True)


# Bad input --------------------------------------------------------------------------


def field_error(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error at {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Fout:", "").strip()


@pytest.mark.parametrize("outcome", ["deels", "niet"])
@pytest.mark.parametrize("button", ["save", "submit"])
def test_explanation_is_required_for_deels_and_niet(app, client, outcome, button):
    with app.app_context():
        sub = due_submission("EZK")
        sub_id = sub.id
        email = ministry_user("EZK").email
    login(client, email)
    response = post(
        client,
        f"/responses/{sub_id}",
        {
            "outcome": outcome,
            "explanation": "  ",
            "measures": "Een pilot in 2027.",
            "action": button,
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        field_error(page, "explanation")
        == "Licht toe waarom het voorstel niet of deels wordt overgenomen."
    )
    assert "Een pilot in 2027." in page
    assert re.search(rf'value="{outcome}"[^>]*checked|checked[^>]*value="{outcome}"', page)
    with app.app_context():
        assert row_state(sub_id) is None


def test_submitting_needs_an_outcome_but_a_concept_does_not(app, client):
    with app.app_context():
        sub = due_submission("EZK")
        sub_id = sub.id
        email = ministry_user("EZK").email
    login(client, email)
    data = {"explanation": "", "measures": "Eerst uitzoeken."}
    response = post(client, f"/responses/{sub_id}", {**data, "action": "submit"})
    assert response.status_code == 422
    assert "Kies een uitkomst." in response.get_data(as_text=True)
    with app.app_context():
        assert row_state(sub_id) is None
    assert post(client, f"/responses/{sub_id}", {**data, "action": "save"}).status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Response).where(Response.submission_id == sub_id))
        assert (row.status, row.outcome, row.measures) == ("concept", None, "Eerst uitzoeken.")


def test_returning_needs_a_note(app, client):
    with app.app_context():
        sub = due_submission("EZK")
        sub_id = sub.id
        make_response(sub, status="ter_review")
        make_user(email="sec@example.com", roles=("secretariaat",))
    login(client, "sec@example.com")
    response = post(client, f"/responses/{sub_id}/return", {"note": " "})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "note") == (
        "Schrijf wat het ministerie moet aanpassen."
    )
    with app.app_context():
        assert row_state(sub_id) == ("ter_review", "overnemen")


# The flow ---------------------------------------------------------------------------


def test_draft_review_and_publication(app, client):
    with app.app_context():
        submitter = make_user(email="indiener@example.com")
        sub = due_submission("EZK", author=submitter, title="Vergunning waterstof")
        sub_id = sub.id
        cosigner = make_user(email="steun@example.com", roles=("tafellid",))
        db.session.add(
            CoSignature(submission_id=sub_id, organisation_id=cosigner.organisation_id,
                        user_id=cosigner.id)
        )  # fmt: skip
        db.session.commit()
        ministry_user("EZK", email="ezk@example.com")
        make_user(email="sec@example.com", roles=("secretariaat",))
    url = f"/responses/{sub_id}"

    login(client, "ezk@example.com")
    form = {"outcome": "deels", "explanation": "Alleen voor kleine installaties.",
            "measures": "Wijziging Besluit in 2027."}  # fmt: skip
    assert post(client, url, {**form, "action": "save"}).status_code == 302
    assert post(client, url, {**form, "action": "submit"}).status_code == 302
    # Under review the ministry no longer edits.
    assert post(client, url, {**form, "action": "save"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(MailMessage.id)).where(
            MailMessage.recipient == "sec@example.com")) == 1  # fmt: skip
        assert db.session.scalar(select(func.count(MailMessage.id)).where(
            MailMessage.recipient == "indiener@example.com")) == 0  # fmt: skip

    post(client, "/auth/logout")
    login(client, "sec@example.com")
    assert "Ter beoordeling" in client.get("/responses/").get_data(as_text=True)
    assert post(client, f"{url}/publish").status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Response).where(Response.submission_id == sub_id))
        assert row.status == "gepubliceerd"
        assert row.published_at is not None
        assert row.published_by_id is not None
        actions = db.session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.object_type == "Response", AuditEntry.object_id == row.id
            )
        ).all()
        assert actions == ["response.save", "response.submit", "response.publish"]
        events = db.session.scalars(
            select(TimelineEvent).where(
                TimelineEvent.submission_id == sub_id, TimelineEvent.kind == "response"
            )
        ).all()
        assert [e.data["outcome"] for e in events] == ["deels"]
        for email in ("indiener@example.com", "steun@example.com"):
            mail = db.session.scalars(
                select(MailMessage).where(MailMessage.recipient == email)
            ).one()
            assert "heeft gereageerd op uw melding: Deels overnemen" in mail.subject

    # Anyone who may read the submission sees the response on its timeline.
    post(client, "/auth/logout")
    with app.app_context():
        make_user(email="lid@example.com", roles=("tafellid",))
    login(client, "lid@example.com")
    page = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "reageerde op de melding: Deels overnemen" in page
    assert "Alleen voor kleine installaties." in page

    # Published is final.
    post(client, "/auth/logout")
    login(client, "ezk@example.com")
    assert post(client, url, {**form, "action": "save"}).status_code == 403
    with app.app_context():
        row = db.session.scalar(select(Response).where(Response.submission_id == sub_id))
        with pytest.raises(service.ResponseError):
            service.save_draft(row, row.drafted_by, outcome="overnemen", explanation="",
                               measures="")  # fmt: skip


def test_returned_response_shows_the_note_to_the_ministry(app, client):
    with app.app_context():
        sub = due_submission("EZK")
        sub_id = sub.id
        make_response(sub, status="ter_review")
        ministry_user("EZK", email="ezk@example.com")
        ministry_user("IenW", email="ienw@example.com")
        make_user(email="sec@example.com", roles=("secretariaat",))
    login(client, "sec@example.com")
    assert post(client, f"/responses/{sub_id}/return", FORMS["return"]).status_code == 302
    with app.app_context():
        recipients = db.session.scalars(select(MailMessage.recipient)).all()
        assert recipients == ["ezk@example.com"]
        assert (
            db.session.scalar(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "response.return")
            )
            == 1
        )
    post(client, "/auth/logout")
    login(client, "ezk@example.com")
    page = client.get(f"/responses/{sub_id}").get_data(as_text=True)
    assert "Graag de maatregelen uitwerken." in page
    assert "Concept opslaan" in page


def test_publishing_twice_is_refused(app, ctx):
    sub = due_submission("EZK")
    row = make_response(sub, status="ter_review", outcome="overnemen")
    secretariat = make_user(roles=("secretariaat",))
    service.publish(row, secretariat)
    with pytest.raises(service.ResponseError):
        service.publish(row, secretariat)


def test_ensure_response_creates_one_row_with_the_deadline(app, ctx):
    sub = due_submission("EZK", days=40)
    first = service.ensure_response(sub)
    assert service.ensure_response(sub) is first
    assert first.due_date == sub.response_deadline
    assert first.ministry_id == ministry("EZK").id
    assert db.session.scalar(select(func.count(Response.id))) == 1


# The queue --------------------------------------------------------------------------


def test_queue_orders_by_deadline_and_marks_overdue(app, client):
    with app.app_context():
        later = due_submission("EZK", days=20, title="Later knelpunt")
        late = due_submission("EZK", days=-3, title="Laat knelpunt")
        review = due_submission("EZK", days=10, title="In review knelpunt")
        make_response(review, status="ter_review")
        done = due_submission("EZK", days=5, title="Beantwoord knelpunt")
        make_response(done, status="gepubliceerd")
        due_submission("IenW", days=1, title="Ander ministerie knelpunt")
        due_submission("EZK", status="in_behandeling", title="Niet aanvaard knelpunt")
        ministry_user("EZK", email="ezk@example.com")
    login(client, "ezk@example.com")
    page = client.get("/responses/").get_data(as_text=True)
    queue = page.split('id="queue-heading"')[1]
    assert queue.index("Laat knelpunt") < queue.index("In review knelpunt")
    assert queue.index("In review knelpunt") < queue.index("Later knelpunt")
    for absent in ("Beantwoord", "Ander ministerie", "Niet aanvaard"):
        assert absent not in page
    rows = {title: row for row in queue.split("<tr") for title in [
        "Laat knelpunt", "Later knelpunt", "In review knelpunt"] if title in row}  # fmt: skip
    assert "Termijn verstreken" in rows["Laat knelpunt"]
    assert "Termijn verstreken" not in rows["Later knelpunt"]
    assert "Ter beoordeling" in rows["In review knelpunt"]
    assert "Nog geen reactie" in rows["Later knelpunt"]
    assert later.id and late.id


def test_secretariat_filters_by_ministry_and_sees_what_awaits_review(app, client):
    with app.app_context():
        due_submission("EZK", title="EZK knelpunt")
        due_submission("IenW", title="IenW knelpunt")
        review = due_submission("IenW", title="Review knelpunt")
        make_response(review, status="ter_review")
        make_user(email="sec@example.com", roles=("secretariaat",))
        ienw = ministry("IenW").id
    login(client, "sec@example.com")
    page = client.get("/responses/").get_data(as_text=True)
    assert "EZK knelpunt" in page and "IenW knelpunt" in page
    review_section = page.split('id="review-heading"')[1].split('id="queue-heading"')[0]
    assert "Review knelpunt" in review_section and "EZK knelpunt" not in review_section
    filtered = client.get(f"/responses/?ministry={ienw}").get_data(as_text=True)
    assert "IenW knelpunt" in filtered and "EZK knelpunt" not in filtered


def queue_statements(client, count_queries) -> int:
    client.get("/responses/")  # warm up
    with count_queries() as statements:
        assert client.get("/responses/").status_code == 200
    return len(statements)


@pytest.mark.parametrize("role", ["secretariaat", "departement"])
def test_queue_queries_do_not_grow_with_the_rows(app, client, count_queries, role):
    with app.app_context():
        if role == "departement":
            ministry_user("EZK", email="who@example.com")
        else:
            make_user(email="who@example.com", roles=(role,))

        def add(n):
            for i in range(n):
                sub = due_submission("EZK" if i % 2 else "IenW", days=i - 2)
                if i % 3 == 0:
                    make_response(sub, status="ter_review" if i % 2 else "concept")

    login(client, "who@example.com")
    with app.app_context():
        add(3)
    few = queue_statements(client, count_queries)
    with app.app_context():
        add(12)
    many = queue_statements(client, count_queries)
    assert few == many, f"{few} statements for 3 rows, {many} for 15"


# Reminders and the overdue state ----------------------------------------------------


def mails_to(email: str) -> list[str]:
    return list(
        db.session.scalars(
            select(MailMessage.subject)
            .where(MailMessage.recipient == email)
            .order_by(MailMessage.id)
        )
    )


def test_reminders_a_week_before_and_when_overdue_each_once(app, ctx):
    ministry_user("EZK", email="ezk@example.com")
    ministry_user("EZK", email="ezk-weg@example.com", active=False)
    ministry_user("IenW", email="ienw@example.com")
    soon = due_submission("EZK", days=5, title="Bijna")
    late = due_submission("EZK", days=-1, title="Te laat")
    due_submission("EZK", days=20, title="Nog tijd")
    review = due_submission("EZK", days=2, title="Bij het secretariaat")
    make_response(review, status="ter_review")
    answered = due_submission("EZK", days=-4, title="Beantwoord")
    make_response(answered, status="gepubliceerd")

    assert reminders.send_response_reminders() == {"reminded": 1, "overdue": 1}
    db.session.commit()
    subjects = mails_to("ezk@example.com")
    assert len(subjects) == 2
    assert any("Bijna" in s and "Reactie gevraagd" in s for s in subjects)
    assert any("Te laat" in s and "Reactietermijn verstreken" in s for s in subjects)
    assert mails_to("ezk-weg@example.com") == []
    assert mails_to("ienw@example.com") == []
    assert db.session.get(Response, service.find_response(soon).id).reminded_at is not None
    assert service.find_response(late).overdue_reminded_at is not None

    # Not twice.
    assert reminders.send_response_reminders() == {"reminded": 0, "overdue": 0}
    db.session.commit()
    assert len(mails_to("ezk@example.com")) == 2

    # A week later the first one is overdue too: one more mail, once.
    later = local_today() + timedelta(days=7)
    assert reminders.send_response_reminders(today=later) == {"reminded": 0, "overdue": 1}
    assert reminders.send_response_reminders(today=later) == {"reminded": 0, "overdue": 0}
    db.session.commit()
    assert len(mails_to("ezk@example.com")) == 3


def test_response_state_marks_overdue_until_published(app, ctx):
    sub = due_submission("EZK", days=-2)
    state = queries.response_state(sub)
    assert state["due"] and state["overdue"] and state["status"] is None
    row = make_response(sub, status="ter_review", outcome="niet", explanation="Nee.")
    assert queries.response_state(sub)["overdue"]
    service.publish(row, make_user(roles=("secretariaat",)))
    state = queries.response_state(sub)
    assert not state["overdue"] and state["outcome"] == "niet"
    other = due_submission("EZK", days=3)
    assert not queries.response_state(other)["overdue"]
    assert queries.response_states([sub, other])[other.id]["due"]


def test_submission_not_due_has_no_response_page(app, client):
    with app.app_context():
        org = make_org()
        sub = due_submission("EZK", status="in_behandeling", org=org)
        sub_id = sub.id
        make_user(email="sec@example.com", roles=("secretariaat",))
    login(client, "sec@example.com")
    assert client.get(f"/responses/{sub_id}").status_code == 404


def test_publication_is_urgent_for_a_submitter_on_the_digest(app, ctx):
    author = make_user(email="digest@example.com")
    author.mail_digest = True
    sub = due_submission("EZK", author=author)
    row = make_response(sub, status="ter_review", outcome="overnemen")
    service.publish(row, make_user(roles=("secretariaat",)))
    db.session.flush()
    assert len(mails_to("digest@example.com")) == 1


def test_submission_page_shows_the_response_and_closing(app, client):
    """The response card and the closing button on the report's own page."""
    with app.app_context():
        sub = due_submission("EZK", days=-1)
        secretariat = make_user(roles=("secretariaat",))
        sub_id, email = sub.id, secretariat.email
    login(client, email)
    html = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "! Reactietermijn verstreken" in html and "Nog geen reactie" in html
    assert f'href="/responses/{sub_id}"' in html
    assert "/actions/close/" not in html  # nothing to close yet
    with app.app_context():
        row = make_response(
            db.session.get(Submission, sub_id), status="ter_review", outcome="niet",
            explanation="Nee.",
        )  # fmt: skip
        service.publish(row, make_user(roles=("secretariaat",)))
        db.session.commit()
    html = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "Niet overnemen" in html and "Reactietermijn verstreken" not in html
    assert f'href="/actions/close/{sub_id}"' in html
