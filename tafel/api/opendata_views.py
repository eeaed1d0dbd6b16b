"""`/open-data`: the datasets with their field dictionary, licence, generation
time and checksums; the files themselves; `catalog.json`; regeneration on
demand by the beheerder."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tafel.accounts import roles
from tafel.api import opendata
from tafel.api.blueprint import open_data
from tafel.api.opendata_fields import DATASETS, catalog
from tafel.core.views import ensure

NAMES = {f"{d.name}.{ext}" for d in DATASETS for ext in ("csv", "json")}


def _meta() -> dict:
    # No files yet (a fresh installation, before the first night): make them now.
    return opendata.metadata() or opendata.generate()


@open_data.get("")
def index():
    return render_template("api/open_data.html", datasets=DATASETS, meta=_meta(),
                           licence=opendata.LICENCE,
                           may_regenerate=roles.is_admin(current_user))  # fmt: skip


@open_data.get("/catalog.json")
def catalog_json():
    base = current_app.config["BASE_URL"].rstrip("/")
    return jsonify(catalog(base, _meta()))


@open_data.get("/<name>")
def download(name: str):
    if name not in NAMES:
        abort(404)
    _meta()
    mimetype = "text/csv" if name.endswith(".csv") else "application/json"
    return send_file(opendata.path(name), mimetype=mimetype, as_attachment=True,
                     download_name=name, max_age=3600)  # fmt: skip


@open_data.post("/regenerate")
def regenerate():
    ensure(roles.is_admin(current_user))
    opendata.generate()
    flash(_("De open data zijn opnieuw gemaakt."), "success")
    return redirect(url_for("open_data.index"))
