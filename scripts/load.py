"""Load benchmark: N concurrent browser-like clients against a running Tafel.

    .venv/bin/python scripts/load.py http://127.0.0.1:5000 --clients 16 --seconds 30 \
        --database-url sqlite:///instance/tafel.db

Each client logs in as one of the demo accounts (password `demo-tafel-2026`) and, for a
bounded time, files new reports, co-signs and comments on reports, changes its ballot in a
priority round the secretariat opens at the start, logs out and in again; the secretariat
also records decisions. Forms are fetched and posted as a browser does (CSRF token and every
field the page fills in). At the end it prints the requests and errors per action and status
and, with --database-url, compares what the clients were told (created ids, confirmations)
with the rows in the database: lost writes (confirmed, not stored), duplicates, and rows
stored although the client was told it failed. Exit status 1 when anything is lost or
duplicated or any request failed. Only the standard library (and SQLAlchemy for the check).
"""

# ruff: noqa: S311 - random choices of what to do, not secrets
from __future__ import annotations

import argparse
import http.client
import random
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

PASSWORD = "demo-tafel-2026"  # noqa: S105 - the documented demo password
MEMBERS = ["lid-bedrijf@example.org", "lid-kennis@example.org", "lid-overheid@example.org"]
AUTHORS = ["indiener@example.com", "indiener@example.net", "voorzitter@example.org"]
SECRETARIAT = "secretariaat@example.org"
TIMES: list[float] = []  # the duration of every request (seconds)
ACCOUNTS = [SECRETARIAT, *MEMBERS, *AUTHORS, "ezk@example.org", "beheer@example.org"]


class FormParser(HTMLParser):
    """The forms of a page with the values a browser would send."""

    def __init__(self, page: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or self.page, "fields": [], "choices": {}})
            return
        if not self.forms:
            return
        form, name = self.forms[-1], a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio"):
                form["choices"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" not in a:
                    return
            form["fields"].append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in a or not any(n == self._select for n, _ in form["fields"]):
                form["fields"] = [f for f in form["fields"] if f[0] != self._select]
                form["fields"].append((self._select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def find_form(html: str, action_part: str, page: str = "") -> dict | None:
    parser = FormParser(page)
    parser.feed(html)
    return next((f for f in parser.forms if action_part in f["action"]), None)


class Client:
    """One browser: its own connection and cookies."""

    def __init__(self, base: str, stats: Counter, lock: threading.Lock) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.stats, self.lock = stats, lock
        self.pool: list[int] = []

    def request(self, action: str, method: str, path: str, fields=None):
        body = urlencode(fields or [], doseq=True) if method == "POST" else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self._count(action, "connection error")
            return 0, "", ""
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        self._count(action, response.status, time.monotonic() - started)
        return response.status, response.getheader("Location") or "", text

    def _count(self, action, status, seconds: float | None = None) -> None:
        with self.lock:
            self.stats[(action, status)] += 1
            if seconds is not None and not action.startswith("setup"):
                TIMES.append(seconds)

    def submit(self, action: str, page: str, form_part: str, values: dict, post_to=None):
        """GET `page`, fill its form, POST it; (status, location, body)."""
        status, _, html = self.request(action + " (form)", "GET", page)
        form = find_form(html, form_part, page) if status == 200 else None
        if form is None:
            return None
        fields = [(n, v) for n, v in form["fields"] if n not in values]
        fields += [
            (n, v) for n, vs in values.items() for v in ([vs] if isinstance(vs, str) else vs)
        ]
        return self.request(action, "POST", post_to or form["action"], fields)

    def post(self, action: str, path: str, values: dict, token_page: str = "/"):  # noqa: S107
        status, _, html = self.request(action + " (form)", "GET", token_page)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if not match:
            return None
        return self.request(action, "POST", path, {**values, "csrf_token": match.group(1)})

    def login(self, email: str) -> bool:
        self.cookies.clear()
        result = self.submit(
            "login", "/auth/login", "/auth/login", {"email": email, "password": PASSWORD}
        )
        return bool(result) and result[0] == 302 and "/auth/login" not in result[1]


class Run:
    def __init__(self, args) -> None:
        self.args, self.stats, self.lock = args, Counter(), threading.Lock()
        self.marker = f"load-{uuid.uuid4().hex[:8]}"
        self.told: dict[str, list] = defaultdict(list)  # what clients were told was saved
        self.refused: Counter = Counter()
        self.round_id: int | None = None
        self.candidates: list[str] = []
        self.item_id: int | None = None

    def client(self) -> Client:
        return Client(self.args.url, self.stats, self.lock)

    def tell(self, kind: str, value) -> None:
        with self.lock:
            self.told[kind].append(value)

    # Set-up: a named approval round, open now; an agenda item to record decisions on.
    def setup(self) -> None:
        sec = self.client()
        assert sec.login(SECRETARIAT), "cannot log in as the secretariat"
        status, _, html = sec.request("setup", "GET", "/rounds/new")
        form = find_form(html, "/rounds/new", "/rounds/new") or {"choices": {}}
        self.candidates = form["choices"].get("candidates", [])[:4]
        values = {"title": f"Ronde {self.marker}", "method": "approval", "approvals": "2"}
        values |= {"candidates": self.candidates, "secret": []}
        result = sec.submit("setup", "/rounds/new", "/rounds/new", values)
        match = re.search(r"/rounds/(\d+)", result[1] if result else "")
        if match:
            self.round_id = int(match.group(1))
            sec.post("setup", f"/rounds/{self.round_id}/open", {}, f"/rounds/{self.round_id}")
        for meeting in range(1, 10):
            _, _, html = sec.request("setup", "GET", f"/meetings/{meeting}")
            items = re.findall(r"/decisions/new\?item=(\d+)", html)
            if items:
                self.item_id = int(items[0])
                break
        print(f"set-up: round {self.round_id}, agenda item {self.item_id}")

    # The actions ------------------------------------------------------------------
    def new_report(self, c: Client, email: str) -> None:
        title = f"Knelpunt {self.marker} {uuid.uuid4().hex[:10]}"
        values = {
            "title": title,
            "summary": "Samenvatting van het knelpunt onder belasting.",
            "body": "Beschrijving van het knelpunt, lang genoeg voor de controle.",
            "action": "submit_anyway",
        }
        result = c.submit("new report", "/submissions/new", "/submissions/new", values)
        match = re.fullmatch(r".*/submissions/(\d+)", result[1] if result else "")
        if result and result[0] == 302 and match:
            self.tell("reports", (int(match.group(1)), title))
        elif result:
            self.refused[("new report", result[0])] += 1

    def cosign(self, c: Client, email: str) -> None:
        sub = random.choice(c.pool)
        result = c.post(
            "co-sign",
            f"/submissions/{sub}/cosign",
            {"evidence": f"Wij herkennen dit ({self.marker})."},
            f"/submissions/{sub}",
        )
        if result and result[0] == 302:
            status, _, html = c.request("co-sign (page)", "GET", urlsplit(result[1]).path)
            if "Uw organisatie steunt nu deze melding." in html:
                self.tell("cosigns", (sub, email))

    def comment(self, c: Client, email: str) -> None:
        sub, body = random.choice(c.pool), f"Reactie {self.marker} {uuid.uuid4().hex[:10]}"
        result = c.post(
            "comment", f"/submissions/{sub}/comments", {"body": body}, f"/submissions/{sub}"
        )
        match = re.search(r"#comment-(\d+)", result[1] if result else "")
        if result and result[0] == 302 and match:
            self.tell("comments", (int(match.group(1)), body))

    def ballot(self, c: Client, email: str) -> None:
        if self.round_id is None:
            return
        choice = random.sample(self.candidates, random.randint(1, 2))
        path = f"/rounds/{self.round_id}"
        result = c.post("ballot", f"{path}/vote", {"approve": choice}, path)
        if result and result[0] == 302:
            self.tell("ballots", (email, sorted(int(x) for x in choice)))

    def decision(self, c: Client, email: str) -> None:
        if self.item_id is None:
            return
        text = f"Besluit {self.marker} {uuid.uuid4().hex[:10]}"
        page = f"/decisions/new?item={self.item_id}"
        result = c.submit(
            "decision",
            page,
            "/decisions/new",
            {"text": text, "outcome": "overnemen", "with_motion": []},
            post_to=page,
        )
        match = re.fullmatch(r".*/decisions/(\d+)", result[1] if result else "")
        if result and result[0] == 302 and match:
            self.tell("decisions", (int(match.group(1)), text))
        elif result:
            self.refused[("decision", result[0])] += 1

    def work(self, number: int, deadline: float) -> None:
        email = ACCOUNTS[number % len(ACCOUNTS)]
        c = self.client()
        actions = [self.new_report, self.cosign, self.comment, self.comment]
        if email in MEMBERS and number < len(ACCOUNTS):  # one client per voter: order is known
            actions += [self.ballot, self.ballot]
        if email == SECRETARIAT:
            actions += [self.decision]
        done = 0
        while time.monotonic() < deadline:
            if done % 15 == 0:
                if done:
                    c.post("logout", "/auth/logout", {})
                if not c.login(email):
                    time.sleep(0.1)
                    continue
                c.pool = self.visible(c)
            random.choice(actions)(c, email)
            done += 1

    def visible(self, c: Client) -> list[int]:
        """The reports this client's account sees in the list (its pool to act on)."""
        _, _, html = c.request("list", "GET", "/submissions/")
        return sorted({int(i) for i in re.findall(r'href="/submissions/(\d+)"', html)}) or [1]

    def run(self) -> None:
        self.setup()
        deadline = time.monotonic() + self.args.seconds
        threads = [
            threading.Thread(target=self.work, args=(n, deadline)) for n in range(self.args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.elapsed = time.monotonic() - started


def report(run: Run) -> int:
    total = sum(n for (a, _), n in run.stats.items() if not a.startswith("setup"))
    failed = {k: n for k, n in run.stats.items() if not k[0].startswith("setup") and not _ok(k[1])}
    print(f"\n{total} requests in {run.elapsed:.1f} s ({total / run.elapsed:.1f}/s)")
    if TIMES:
        times = sorted(TIMES)
        p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
        print(
            f"latency: median {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {times[-1]:.1f} s"
        )
    by_action: dict[str, Counter] = defaultdict(Counter)
    for (action, status), n in sorted(run.stats.items(), key=str):
        by_action[action][status] += n
    for action, statuses in by_action.items():
        print(
            f"  {action:22} " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str))
        )
    by_status: Counter = Counter()
    for (_, status), n in failed.items():
        by_status[status] += n
    print(f"errors: {sum(failed.values())} {dict(by_status)}")
    if run.refused:
        print(f"refused (form shown again): {dict(run.refused)}")
    told = {kind: len(values) for kind, values in run.told.items()}
    print(f"confirmed writes: {told}")
    problems = sum(failed.values())
    if run.args.database_url:
        problems += check_database(run)
    return 1 if problems else 0


def _ok(status) -> bool:
    return isinstance(status, int) and status < 400


def check_database(run: Run) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(run.args.database_url)
    like = {"m": f"%{run.marker}%"}
    with engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql), like).all()  # noqa: E731
        reports = Counter(r.title for r in q("SELECT title FROM submissions WHERE title LIKE :m"))
        comments = Counter(r.body for r in q("SELECT body FROM comments WHERE body LIKE :m"))
        decisions = Counter(r.text for r in q("SELECT text FROM decisions WHERE text LIKE :m"))
        cosigns = {
            (r.submission_id, r.email)
            for r in q(
                "SELECT c.submission_id, u.email FROM cosignatures c "
                "JOIN users u ON u.id = c.user_id "
                "WHERE c.evidence LIKE :m"
            )
        }
        ballots = {
            r.email: r.content
            for r in q(
                "SELECT u.email, b.content FROM ballots b JOIN users u ON u.id = b.voter_id "
                "JOIN priority_rounds r ON r.id = b.round_id WHERE r.title LIKE :m"
            )
        }
        numbers = [
            r.number for r in conn.execute(text("SELECT number FROM decisions ORDER BY number"))
        ]
    lost = dup = stray = 0
    for kind, rows in (("reports", reports), ("comments", comments), ("decisions", decisions)):
        told = Counter(value for _, value in run.told[kind])
        lost_here = sum(1 for v in told if v not in rows)
        dup_here = sum(n - 1 for n in rows.values() if n > 1)
        stray_here = sum(1 for v in rows if v not in told)
        print(
            f"  {kind:10} told {len(told):5}  rows {sum(rows.values()):5}  lost {lost_here}  "
            f"duplicated {dup_here}  stored but told failed {stray_here}"
        )
        lost, dup, stray = lost + lost_here, dup + dup_here, stray + stray_here
    told_cosigns = set(run.told["cosigns"])
    lost_cosigns = len(told_cosigns - {(s, e) for s, e in cosigns})
    print(f"  cosigns    told {len(told_cosigns):5}  rows {len(cosigns):5}  lost {lost_cosigns}")
    last = {email: choice for email, choice in run.told["ballots"]}
    wrong = [e for e, choice in last.items() if sorted(_approve(ballots.get(e))) != choice]
    print(
        f"  ballots    voters {len(last):3}  rows {len(ballots):3}  "
        f"last confirmed ballot not stored {len(wrong)}"
    )
    gaps = _gaps(numbers)
    print(f"  decision numbers gap-free: {'yes' if not gaps else gaps}")
    print(
        f"lost: {lost + lost_cosigns + len(wrong)}  duplicated: {dup}  "
        f"stored but told failed: {stray}"
    )
    return lost + lost_cosigns + len(wrong) + dup + len(gaps)


def _approve(content) -> list[int]:
    import json

    content = json.loads(content) if isinstance(content, str) else (content or {})
    return [int(x) for x in content.get("approve", [])]


def _gaps(numbers: list[str]) -> list[str]:
    by_year: dict[str, list[int]] = defaultdict(list)
    for number in numbers:
        match = re.fullmatch(r"B-(\d{4})-(\d+)", number or "")
        if match:
            by_year[match.group(1)].append(int(match.group(2)))
    gaps = []
    for year, seq in by_year.items():
        missing = set(range(1, max(seq) + 1)) - set(seq)
        gaps += [f"B-{year}-{n:03d}" for n in sorted(missing)]
    return gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="e.g. http://127.0.0.1:5000")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--database-url", help="compare with the rows (SQLAlchemy URL)")
    args = parser.parse_args()
    run = Run(args)
    run.run()
    raise SystemExit(report(run))


if __name__ == "__main__":
    main()
