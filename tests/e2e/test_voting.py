"""A ranked priority round in the browser: three members of three constituencies
vote by keyboard, one changes the ballot, the chair closes, the result shows."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import User
from tafel.db import utcnow
from tafel.submissions.models import Submission
from tafel.voting import services
from tests.e2e.conftest import login


def open_ranked_round(app) -> tuple[int, list[tuple[int, str]]]:
    with app.test_request_context():
        secretariat = db.session.scalars(
            select(User).where(User.email == "secretariaat@example.org")
        ).one()
        subs = db.session.scalars(
            select(Submission)
            .where(
                Submission.status == "aanvaard", Submission.visibility.in_(("openbaar", "tafel"))
            )
            .order_by(Submission.id)
            .limit(3)
        ).all()
        rnd = services.create_round(
            secretariat,
            title="Prioriteringsronde winter 2026",
            explanation="Zet de knelpunten op volgorde van urgentie.",
            method="ranked",
            params={},
            opens_at=utcnow(),
            closes_at=utcnow() + timedelta(days=7),
            secret=False,  # named: every constituency's column is shown
            quorum_percent=50,
            candidate_ids=[s.id for s in subs],
        )
        services.open_round(rnd, secretariat)
        db.session.commit()
        return rnd.id, [(s.id, s.title) for s in subs]


def vote_by_keyboard(page, round_id: int, ranks: dict[int, int]) -> None:
    page.goto(f"/rounds/{round_id}")
    for candidate, rank in ranks.items():
        field = page.locator(f"#rank-{candidate}")
        field.focus()
        field.press("Control+a")
        page.keyboard.type(str(rank))
    button = page.get_by_role("button", name="Stem")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash--success").first).to_contain_text("Uw stem is vastgelegd")


def test_ranked_round_from_ballots_to_result(app, browser, live_server, demo_data, axe_check):
    round_id, candidates = open_ranked_round(app)
    (a, title_a), (b, title_b), (c, title_c) = candidates
    ballots = {
        "lid-bedrijf@example.org": {a: 1, b: 2, c: 3},
        "lid-kennis@example.org": {b: 1, a: 2, c: 3},
        "lid-overheid@example.org": {c: 1, b: 2, a: 3},
    }
    for email, ranks in ballots.items():
        context = browser.new_context(base_url=live_server, locale="nl-NL")
        page = context.new_page()
        login(page, email)
        vote_by_keyboard(page, round_id, ranks)
        axe_check(page)
        if email == "lid-overheid@example.org":
            # Changing the ballot: the page shows what was recorded, then the new one.
            expect(page.locator(f"#rank-{c}")).to_have_value("1")
            vote_by_keyboard(page, round_id, {b: 1, c: 2, a: 3})
            expect(page.locator(f"#rank-{b}")).to_have_value("1")
            expect(page.get_by_role("button", name="Stem wijzigen")).to_be_visible()
        context.close()

    chair = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    login(chair, "voorzitter@example.org")
    chair.goto(f"/rounds/{round_id}")
    expect(chair.get_by_text("3 van de 3 stemgerechtigden hebben gestemd.")).to_be_visible()
    axe_check(chair)
    close = chair.get_by_role("button", name="Nu sluiten")
    close.focus()
    with chair.expect_navigation():
        chair.keyboard.press("Enter")
    results = chair.locator("section[aria-labelledby=results-heading]")
    expect(results).to_contain_text("Het quorum is gehaald.")
    rows = results.locator("tbody tr")
    expect(rows).to_have_count(3)
    # b beats a (2:1) and c (2:1); a beats c (2:1): b > a > c.
    expect(rows.nth(0)).to_contain_text(title_b)
    expect(rows.nth(1)).to_contain_text(title_a)
    expect(rows.nth(2)).to_contain_text(title_c)
    header = results.locator("thead")
    for constituency in ("Bedrijfsleven", "Kennisinstellingen", "Overheid"):
        expect(header).to_contain_text(constituency)
    # The business member put a first; the others put b first: they disagree.
    expect(rows.nth(0)).to_contain_text("◆")
    expect(results).to_contain_text("Wie stemde wat")
    axe_check(chair)
    chair.screenshot(
        path=str(app.root_path) + "/../test-artifacts/voting-result.png", full_page=True
    )
    chair.context.close()
