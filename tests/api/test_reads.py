"""The API's reads: what each caller sees, pages, caching headers and refusals."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

from tafel import db
from tafel.api.params import encode_cursor
from tests.api.helpers import bearer, token_for
from tests.factories import make_submission, make_user

PROBLEM = "application/problem+json"


def ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()["items"]]


def test_openapi_document_is_valid_and_lists_every_read(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    for path in ("/api/v1/submissions", "/api/v1/submissions/{submission_id}",
                 "/api/v1/decisions", "/api/v1/responses", "/api/v1/actions",
                 "/api/v1/scoreboard", "/api/v1/reference"):  # fmt: skip
        assert "get" in spec["paths"][path]
    names = [p["name"] for p in spec["paths"]["/api/v1/submissions"]["get"]["parameters"]]
    assert {"q", "market", "from", "to", "cursor", "limit"} <= set(names)


def test_documentation_page_lists_the_endpoints(client):
    html = client.get("/api/").get_data(as_text=True)
    assert "/api/v1/submissions" in html and "/api/v1/decisions" in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_anonymous_sees_only_public_reports(client, app_ctx):
    public = make_submission(visibility="openbaar", title="Openbaar knelpunt")
    table = make_submission(visibility="tafel", title="Tafelknelpunt")
    secret = make_submission(visibility="vertrouwelijk", title="Geheim knelpunt")
    concept = make_submission(visibility="openbaar", status="concept")
    response = client.get("/api/v1/submissions")
    assert response.status_code == 200
    assert ids(response) == [public.id]
    body = response.get_data(as_text=True)
    assert "Tafelknelpunt" not in body and "Geheim knelpunt" not in body
    for hidden in (table, secret, concept):
        found = client.get(f"/api/v1/submissions/{hidden.id}")
        assert found.status_code == 404
        assert found.mimetype == PROBLEM


def test_a_token_sees_what_its_user_sees(client, app_ctx):
    member = make_user(roles=("tafellid",))
    public = make_submission(visibility="openbaar")
    table = make_submission(visibility="tafel")
    make_submission(visibility="vertrouwelijk")
    response = client.get("/api/v1/submissions", headers=bearer(token_for(member)))
    assert sorted(ids(response)) == sorted([public.id, table.id])
    detail = client.get(f"/api/v1/submissions/{table.id}", headers=bearer(token_for(member)))
    assert detail.status_code == 200
    assert detail.get_json()["visibility"] == "tafel"


def test_pages_follow_the_cursor_without_gaps_or_repeats(client, app_ctx):
    made = [make_submission(visibility="openbaar").id for _ in range(5)]
    seen, url = [], "/api/v1/submissions?limit=2&kind=knelpunt"
    while url:
        page = client.get(url).get_json()
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
        assert url is None or "kind=knelpunt" in url
    assert seen == sorted(made, reverse=True)


def test_filters_match_the_list_page(client, app_ctx):
    signaal = make_submission(visibility="openbaar", kind="signaal")
    make_submission(visibility="openbaar", kind="knelpunt")
    assert ids(client.get("/api/v1/submissions?kind=signaal")) == [signaal.id]


def test_etag_and_last_modified_answer_304(client, app_ctx):
    make_submission(visibility="openbaar")
    first = client.get("/api/v1/submissions")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/api/v1/submissions", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    db.session.commit()  # the requests shared this session: end its read
    make_submission(visibility="openbaar")
    changed = client.get("/api/v1/submissions", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


def test_a_read_with_a_token_is_never_publicly_cacheable(client, app_ctx):
    member = make_user(roles=("tafellid",))
    table = make_submission(visibility="tafel")
    headers = bearer(token_for(member))
    for url in ("/api/v1/submissions", f"/api/v1/submissions/{table.id}"):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        control = response.headers["Cache-Control"]
        assert "private" in control and "public" not in control, url
        assert "max-age" not in control, url
        assert "Authorization" in response.vary, url
        again = client.get(url, headers={**headers, "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304, url
        assert "public" not in again.headers["Cache-Control"], url
    refused = client.get("/api/v1/submissions", headers=bearer("tafel_forged"))
    assert refused.status_code == 401
    assert "public" not in refused.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=10000", "limit"),
        ("limit=abc", "limit"),
        ("cursor=!!!", "cursor"),
        ("cursor=p", "cursor"),
        ("cursor=p1234567", "cursor"),
        ("colour=red", "colour"),
        ("market=x", "market"),
        ("kind=anders", "kind"),
        ("from=gisteren", "from"),
        ("limit=1&limit=2", "limit"),
    ],
)
def test_bad_parameters_are_400_problems_naming_the_parameter(client, query, parameter):
    response = client.get(f"/api/v1/submissions?{query}")
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 400
    assert parameter in [p["name"] for p in problem["invalid_params"]]


def test_a_forged_cursor_shows_nothing_hidden(client, app_ctx):
    secret = make_submission(visibility="vertrouwelijk")
    response = client.get(f"/api/v1/submissions?cursor={encode_cursor(secret.id + 1)}")
    assert secret.id not in ids(response)


@pytest.mark.parametrize("header", ["Bearer tafel_forged", "Bearer nonsense", "Basic abc"])
def test_a_bad_token_is_401(client, header):
    response = client.get("/api/v1/submissions", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_api_paths_are_problems(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert json.loads(response.get_data())["title"] == "Not Found"


def test_reference_lists_the_taxonomy(app, client):
    taxonomy = json.loads((app.config["REFERENCE_DIR"] / "taxonomy.json").read_text("utf-8"))
    data = client.get("/api/v1/reference").get_json()
    for name in ("markets", "action_lines", "technologies", "ministries", "provinces"):
        assert len(data[name]) == len(taxonomy[name]), name
