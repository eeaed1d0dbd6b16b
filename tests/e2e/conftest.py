"""Browser tests: the app served by a real HTTP server, driven by Debian's Chromium.

No browser is ever downloaded: Playwright launches /usr/bin/chromium. When that
binary is missing the tests fail (they do not skip), so a broken set-up shows.
Every page is checked with axe-core (WCAG 2.1 A/AA and best practices).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tafel import db
from tafel.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo, read_demo

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
ARTIFACTS = ROOT / "test-artifacts"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e is an e2e test (select with -m e2e / -m 'not e2e')."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# Server and browser --------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(app):
    """Serve the session's app on a free local port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test, Dutch locale."""
    context = browser.new_context(
        base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


# Demo data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[str, ...]
    organisation: str

    def __str__(self) -> str:  # readable parametrise ids
        return self.email


def _demo_organisation_names() -> dict[str, str]:
    import config as tafel_config

    data = read_demo(tafel_config.Config.REFERENCE_DIR) or {"organisations": []}
    return {entry["slug"]: entry["name"] for entry in data["organisations"]}


_ORG_NAMES = _demo_organisation_names()
DEMO = [
    DemoAccount(email, name, roles, _ORG_NAMES.get(slug, "Demo-organisatie"))
    for email, name, roles, slug in DEMO_ACCOUNTS
]


@pytest.fixture
def demo_data(app):
    """The demo organisations and the nine demo accounts (emptied again after the test)."""
    with app.app_context():
        result = load_demo(read_demo(app.config["REFERENCE_DIR"]))
        db.session.commit()
    return result


# Helpers -------------------------------------------------------------------------------


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in with the form, the way a keyboard user does: type, then Enter."""
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    password_box = page.get_by_label("Wachtwoord", exact=True)
    password_box.fill(password)
    with page.expect_navigation():
        password_box.press("Enter")


_axe_source: str | None = None


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            lines.append(f"    at {target}: {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def axe_violations(page) -> str:
    """Run axe-core on the current page; return a readable report, or "" when clean.

    The app's CSP forbids inline scripts, so axe is not added as a <script> tag:
    page.evaluate goes through the DevTools protocol, which CSP does not govern.
    """
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source + "\n;undefined")
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
            .then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))
            })))""",
        AXE_TAGS,
    )
    return _format_violations(page.url, result) if result else ""


def run_axe(page) -> None:
    """Fail the test on any axe-core violation on the current page."""
    report = axe_violations(page)
    if report:
        pytest.fail(report, pytrace=False)


@pytest.fixture
def axe_check():
    """`axe_check(page)`: fail the test on any axe-core violation on the current page."""
    return run_axe


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def screenshot(artifacts):
    """`screenshot(page, name)`: save a full-page PNG to test-artifacts/<name>.png."""

    def take(page, name: str) -> Path:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
