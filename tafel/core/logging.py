"""Logging, configured once in `create_app`.

Every module logs through `logging.getLogger(__name__)`; those loggers are
children of the application's logger ("tafel"), so one handler on it carries
them all: one line per record (time, level, logger, message), a request error
followed by its traceback. Flask logs an unhandled exception of a request
itself ("Exception on /path [GET]"); `tafel.errors` logs a 500 raised on
purpose. Nothing here changes what users see.
"""

from __future__ import annotations

import logging

from flask import Flask
from flask.logging import default_handler

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def register_logging(app: Flask) -> None:
    """Level from TAFEL's `LOG_LEVEL` setting (default INFO, DEBUG in debug mode)."""
    logger = app.logger  # "tafel": adds Flask's stderr handler unless one is configured
    level = app.config.get("LOG_LEVEL") or ("DEBUG" if app.debug else "INFO")
    logger.setLevel(level)
    default_handler.setFormatter(logging.Formatter(FORMAT))
