"""Progress tests: programmes.json loaded into every test's database."""

from __future__ import annotations

import pytest

from tafel import db
from tafel.international.reference import load_programmes_file


@pytest.fixture(autouse=True)
def programme_reference(app):
    with app.app_context():
        load_programmes_file(app.config["REFERENCE_DIR"])
        db.session.commit()
        db.session.close()
