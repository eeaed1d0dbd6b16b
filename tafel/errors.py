"""Error pages in the visitor's language (Dutch by default). A server error is
logged once, with its traceback (see tafel.core.logging). A transient database
error (busy, conflict, lost connection) is no bug: it gets its own page, 503
with Retry-After, saying the database was busy and to try again."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError

from tafel import db


def register_error_handlers(app: Flask) -> None:
    def page(code: int):
        def handler(error):
            if code == 500:
                db.session.rollback()
                _log_server_error(error)
            return render_template(f"errors/{code}.html", error=error), code

        return handler

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, page(code))
    app.register_error_handler(CSRFError, page(400))
    app.register_error_handler(DBAPIError, database_error)


def database_error(error: DBAPIError):
    """The busy page for a transient error; any other database error goes on
    to the 500 page (and is logged there)."""
    if not db.is_transient(error):
        raise error
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()
    db.reads_only()
    current_app.logger.warning(
        "Database busy on %s [%s]: %s", request.path, request.method, error.orig, exc_info=error
    )
    response = current_app.make_response((render_template("errors/503.html", error=error), 503))
    response.headers["Retry-After"] = "5"
    return response


def _log_server_error(error) -> None:
    """Flask has already logged an unhandled exception (`original_exception`);
    a 500 raised on purpose is logged here, so every server error is logged once."""
    if getattr(error, "original_exception", None) is not None:
        return
    current_app.logger.error(
        "Server error on %s [%s]", request.path, request.method, exc_info=error
    )
