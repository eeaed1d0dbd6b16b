"""The login throttle with real gunicorn worker processes on the test database."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(database_url):
    port = free_port()
    env = dict(os.environ, TAFEL_ENV="test", TAFEL_TEST_DATABASE_URL=database_url)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "tafel:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
    yield port
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)


def attempt(port: int, email: str, password: str) -> tuple[int, str, str]:
    """One login as a fresh browser: GET the form, POST it. New connections
    each time, so gunicorn hands them to whichever worker is free."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = SimpleCookie(response.headers["Set-Cookie"])
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = urlencode({"csrf_token": token, "email": email, "password": password})
    conn.request(
        "POST",
        "/auth/login",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookie.items()),
        },
    )
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response.status, text, response.headers.get("Location", "")


def test_sixth_attempt_refused_with_two_gunicorn_workers(app, gunicorn):
    with app.app_context():
        make_user(email="ina@example.com")
    for _ in range(5):
        status, _text, _ = attempt(gunicorn, "ina@example.com", "wrong-password-here")
        assert status == 401
    status, text, _ = attempt(gunicorn, "ina@example.com", PASSWORD)
    assert status == 429 and "Te veel mislukte inlogpogingen" in text
    # Another account from the same address is unaffected (that limit is 20).
    with app.app_context():
        make_user(email="other@example.com")
    status, _text, location = attempt(gunicorn, "other@example.com", PASSWORD)
    assert status == 302 and location.endswith("/account/")
