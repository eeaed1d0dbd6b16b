"""Every list and object of the API shows a caller what the pages show them:
an anonymous caller never gets a `tafel` or `vertrouwelijk` id or title."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tafel import db
from tafel.submissions.models import Submission
from tafel.voting import services as voting
from tests.api.helpers import bearer, token_for
from tests.api.world import SECRET_TITLE, TABLE_TITLE, build
from tests.factories import make_user
from tests.voting.factories import make_round

LISTS = {
    "submissions": "reports",
    "decisions": "decisions",
    "responses": "responses",
    "actions": "actions",
}
# Who sees which report's items (DESIGN §5).
SEES = {
    None: {"openbaar"},
    "tafellid": {"openbaar", "tafel"},
    "departement": {"openbaar", "tafel", "vertrouwelijk"},  # EZK answers for all three
    "secretariaat": {"openbaar", "tafel", "vertrouwelijk"},
}


@pytest.fixture
def world(app):
    with app.app_context():
        return build()


@pytest.mark.parametrize("role", list(SEES))
@pytest.mark.parametrize("endpoint", list(LISTS))
def test_lists_and_objects_follow_the_visibility_rule(client, world, role, endpoint):
    headers = bearer(world.tokens[role]) if role else {}
    kept = getattr(world, LISTS[endpoint])
    response = client.get(f"/api/v1/{endpoint}?limit=200", headers=headers)
    assert response.status_code == 200
    listed = {item["id"] for item in response.get_json()["items"]}
    body = response.get_data(as_text=True)
    for visibility, object_id in kept.items():
        visible = visibility in SEES[role]
        assert (object_id in listed) == visible, (visibility, endpoint)
        one = client.get(f"/api/v1/{endpoint}/{object_id}", headers=headers)
        assert one.status_code == (200 if visible else 404), (visibility, endpoint)
    if role is None:
        assert SECRET_TITLE not in body and TABLE_TITLE not in body


def test_anonymous_filters_and_cursors_never_reveal_hidden_reports(client, world):
    hidden = {world.reports["tafel"], world.reports["vertrouwelijk"]}
    for query in ("", "q=knelpunt", "status=aanvaard", "ministry=1", "limit=1",
                  "cursor=pzz"):  # fmt: skip
        url = f"/api/v1/submissions?{query}"
        while url:
            page = client.get(url).get_json()
            assert not hidden & {item["id"] for item in page["items"]}, query
            url = page["next"]


def test_the_timeline_leaves_out_round_steps_the_caller_may_not_see(app, client):
    with app.app_context():
        rnd, sub_ids, secretariat = make_round(candidates=2)
        db.session.execute(update(Submission).values(visibility="openbaar"))
        voting.close_round(rnd, secretariat)
        db.session.commit()
        member = token_for(make_user(roles=("tafellid",)))
    url = f"/api/v1/submissions/{sub_ids[0]}"
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    kinds = [entry["kind"] for entry in anonymous.get_json()["timeline"]]
    assert "round" not in kinds and "round_result" not in kinds
    seen = client.get(url, headers=bearer(member)).get_json()["timeline"]
    assert "round" in [entry["kind"] for entry in seen]
