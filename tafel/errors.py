"""Error pages in the visitor's language (Dutch by default)."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from tafel import db


def register_error_handlers(app: Flask) -> None:
    def page(code: int):
        def handler(error):
            if code == 500:
                db.session.rollback()
            return render_template(f"errors/{code}.html", error=error), code

        return handler

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, page(code))
    app.register_error_handler(CSRFError, page(400))
