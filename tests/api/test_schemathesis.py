"""Schemathesis against the app: every read operation of the OpenAPI document,
anonymous and with a token, answers as the document says (status, content
type, headers, body schema) and never with a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tafel import create_app
from tests.api.helpers import bearer
from tests.api.world import build
from tests.conftest import empty_tables, make_config


@pytest.fixture(scope="module")
def live(database_url):
    app = create_app(make_config(database_url, API_RATE_LIMIT_ADDRESS=10**6,
                                 API_RATE_LIMIT_TOKEN=10**6))  # fmt: skip
    with app.app_context():
        world = build()
    yield app, world
    empty_tables(app.extensions["tafel_engine"])
    app.extensions["tafel_engine"].dispose()


def read_operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    return [op for op in operations if op.method.upper() == "GET"]


def exercise(operation, headers: dict, examples: int) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)  # fmt: skip
    def run(case):
        case.call_and_validate(headers=headers)

    run()


@pytest.mark.parametrize("who", ["anonymous", "tafellid"])
def test_every_read_conforms_to_the_document(live, who):
    app, world = live
    headers = bearer(world.tokens[who]) if who != "anonymous" else {}
    operations = read_operations(app)
    assert len(operations) >= 10
    for operation in operations:
        exercise(operation, headers, examples=10)
