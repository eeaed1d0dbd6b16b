"""HTTP caching headers, and sessions only for those who have one.

- Every response to someone with a session (signed in, or carrying a session
  cookie) is `Cache-Control: private, no-store`; so is any response a view
  marked private itself (a calendar feed behind a secret address).
- A visitor without any session gets public pages without `Set-Cookie` and
  without `Vary: Cookie` (the session interface below only adds that for a
  request that brought a session cookie or a response that stores one). A
  successful GET is then `Cache-Control: public, max-age=60` with an ETag of
  its body (answered with 304 when the browser already has it) and
  `Vary: Accept-Language`, the one request header it depends on. A visitor who
  chose a language by cookie gets `private, max-age=60`: the page depends on
  that cookie, which a shared cache would not see.
- A request carrying `Authorization` (an API token) is never public, whether
  or not a session exists: `private, no-cache` (its own client may keep it and
  revalidate with the ETag; anything but a read is `private, no-store`) and
  `Vary: Authorization`.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

# The visitor's language choice (main.views.choose_language): a cookie of its
# own, so choosing a language creates no session.
LANGUAGE_COOKIE = "tafel_language"
PUBLIC = "public, max-age=60"
PRIVATE = "private, no-store"
AUTHORISED = "private, no-cache"
# Static files keep Flask's own headers.
NOT_CACHED = frozenset({"static"})


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, without `Vary: Cookie` on a response to a
    request that brought no session cookie and leaves the session empty: such a
    response cannot depend on a session."""

    def save_session(self, app, session, response) -> None:
        brought = self.get_cookie_name(app) in request.cookies
        if not brought and not session and not session.modified:
            return
        super().save_session(app, session, response)


def has_session(app: Flask) -> bool:
    return (
        app.config["SESSION_COOKIE_NAME"] in request.cookies
        or bool(session)
        or current_user.is_authenticated
    )


def cache_headers(app: Flask, response):
    if request.endpoint in NOT_CACHED:
        return response
    chosen = (response.headers.get("Cache-Control") or "").lower()
    if has_session(app) or "private" in chosen or "no-store" in chosen:
        response.headers["Cache-Control"] = PRIVATE
        response.headers.pop("ETag", None)
        return response
    if "Authorization" in request.headers:
        read = request.method in ("GET", "HEAD") and response.status_code in (200, 304)
        response.headers["Cache-Control"] = AUTHORISED if read else PRIVATE
        response.vary.add("Authorization")
        return response
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        response.headers.setdefault("Cache-Control", "no-store")
        return response
    if LANGUAGE_COOKIE in request.cookies:
        response.headers["Cache-Control"] = "private, max-age=60"
    else:
        response.headers["Cache-Control"] = PUBLIC
    response.vary.add("Accept-Language")
    if not response.is_streamed:
        response.add_etag()
        response.make_conditional(request)
    return response


def register_caching(app: Flask) -> None:
    app.session_interface = SessionInterface()

    @app.after_request
    def _cache_headers(response):
        return cache_headers(app, response)
