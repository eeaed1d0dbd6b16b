#!/usr/bin/env python3
"""mypy over tafel/ against a recorded baseline: fails when the number of
errors rises above scripts/mypy_baseline.txt (`make typecheck`).

When the count falls, lower the baseline to the new figure in the same commit,
so it can only go down.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "mypy_baseline.txt"


def main() -> int:
    run = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "mypy", "tafel"], cwd=ROOT, capture_output=True, text=True
    )
    output = run.stdout + run.stderr
    if run.returncode not in (0, 1) or "error: " not in output and run.returncode:
        print(output)
        return 2
    errors = len(re.findall(r"^\S+:\d+: error: ", output, flags=re.M))
    allowed = int(BASELINE.read_text().split()[0])
    if errors > allowed:
        print(output)
        print(f"typecheck: {errors} mypy errors, more than the baseline of {allowed}")
        return 1
    note = f"; lower {BASELINE.name} to {errors}" if errors < allowed else ""
    print(f"typecheck: {errors} mypy errors (baseline {allowed}){note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
