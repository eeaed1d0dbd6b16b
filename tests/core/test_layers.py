"""The architecture check finds each kind of breach (scripts/check_layers.py)."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_layers.py"
spec = importlib.util.spec_from_file_location("check_layers", SCRIPT)
layers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(layers)

ROUTE = "from tafel.voting.blueprint import bp\n\n\n@bp.route('/')\ndef page():\n"


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return layers.check(tmp_path)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"core/search.py": "from tafel.submissions.models import Submission\n"}, "core imports"),
        (
            {"submissions/x.py": "def f():\n    from tafel.voting import results\n"},
            "higher feature",
        ),
        ({"voting/views.py": "from tafel.submissions.views import helper\n"}, "a views module"),
        ({"voting/services.py": "from flask import request\n"}, "reads flask.request"),
        ({"voting/services.py": "def f(s):\n    s.commit()\n"}, "commits outside a view"),
        ({"voting/views.py": ROUTE + "    helper()\n\n\ndef helper():\n    db.commit()\n"}, "GET"),
        ({"voting/views.py": ROUTE + "    x = 1\n" * 30}, "max 25"),
        ({"voting/big.py": "x = 1\n" * 401}, "max 400"),
        ({"voting/views.py": "bp = Blueprint('x', __name__)\n"}, "outside blueprint.py"),
    ],
)
def test_each_breach_is_reported(tmp_path, files, expected):
    found = problems_of(tmp_path, files)
    assert any(expected in problem for problem in found), found


def test_what_the_layout_allows_passes(tmp_path):
    assert (
        problems_of(
            tmp_path,
            {
                "voting/blueprint.py": "bp = Blueprint('rounds', __name__)\n",
                "voting/views.py": "from tafel.core.views import ensure\n"
                "from tafel.submissions import policies\n" + ROUTE + "    return ''\n",
                "voting/services.py": "from tafel.submissions.models import Submission\n",
            },
        )
        == []
    )


def test_the_project_itself_passes():
    assert layers.check() == []
