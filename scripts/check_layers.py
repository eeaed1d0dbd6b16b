#!/usr/bin/env python3
"""The architecture rules of Tafel, checked on the source (part of `make lint`).

1. Imports point down the feature order (README, Architecture): `tafel.core`
   imports no feature; a feature imports only `core`, the base packages and
   the features before it.
2. A views module (`views.py`, `*_views.py`) imports no other package's views.
3. Outside the views, the command line, the demo and the benchmark, no module
   reads `flask.request` or commits: services flush, views commit once.
4. A GET route does not commit (nor do the module's helpers it calls).
   A blueprint is declared only in its package's `blueprint.py`.
5. No module over 400 lines; no view function over 25 lines; no function of
   the benchmark over 50 lines.

Exit status 1 with one line per finding; 0 and "layers: ok" otherwise.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tafel"

# Lowest first. A package may import those at or before its own position.
ORDER = [
    "core",
    "reference",
    "accounts",
    "notifications",
    "submissions",
    "voting",
    "meetings",
    "decisions",
    "responses",
    "actions",
    "programmes",
    "progress",
    "international",
    "dashboard",
    "api",
    "admin",
    "main",
]
# Modules of `tafel` that belong to no feature.
BASE = {"db", "extensions"}  # usable by everyone, including core
TOP = {
    "__init__",
    "cli",
    "schedule",
    "demo",
    "bench",
    "errors",
    "security",
    "models",
    "translations",
}  # may use all
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 25
MAX_BENCH_LINES = 50


def is_views(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py")


def may_act(rel: Path) -> bool:
    """Modules allowed to read the request and commit."""
    if is_views(rel) or rel.parts[0] in TOP or rel.stem in TOP:
        return True
    return rel.name in ("demo.py", "exports.py") or rel.as_posix() in (
        "core/views.py",
        "core/caching.py",  # response headers depend on the request's cookies
        "core/exports.py",
        "core/forms.py",
        "core/mail.py",  # the sending job commits per message
        "core/once.py",  # create_once: commit_or_refuse with the form token claimed first
        "progress/command.py",  # import-indicators: a command line commits once, like cli.py
        "core/pagination.py",
        "core/permissions.py",
        "db.py",
        "errors.py",
    )


def top_package(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "tafel":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(tree: ast.AST, current: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = current.split(".")[: -node.level]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                yield node.lineno, base, alias.name


def check_imports(rel: Path, tree: ast.AST, module: str, problems: list[str]) -> None:
    own = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    for lineno, target, name in imported_modules(tree, module):
        pkg = top_package(target)
        if pkg is None:
            if target == "flask" and name == "request" and not may_act(rel):
                problems.append(f"{rel}:{lineno}: reads flask.request outside a view")
            continue
        full = f"{target}.{name}" if name else target
        imports_views = target.endswith("views") or (name or "").endswith("views")
        if is_views(rel) and imports_views and pkg not in (own, "core"):
            problems.append(f"{rel}:{lineno}: a views module imports {full}")
        if own in TOP or pkg in BASE or pkg == own:
            continue
        if pkg == "__init__":
            continue
        if pkg in TOP:
            problems.append(f"{rel}:{lineno}: {own} imports the top-level module {pkg}")
            continue
        if own not in ORDER or pkg not in ORDER:
            problems.append(f"{rel}:{lineno}: {own} or {pkg} is not in the feature order")
            continue
        if ORDER.index(pkg) > ORDER.index(own):
            problems.append(f"{rel}:{lineno}: {own} imports the higher feature {pkg} ({full})")


def calls_commit(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("commit", "commit_or_refuse"):
                return True
    return False


def route_methods(func: ast.FunctionDef) -> list[str] | None:
    """The methods of a route decorator, or None when `func` is no route."""
    for deco in func.decorator_list:
        if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute):
            if deco.func.attr in ("route", "get", "post"):
                if deco.func.attr != "route":
                    return [deco.func.attr.upper()]
                for keyword in deco.keywords:
                    if keyword.arg == "methods" and isinstance(keyword.value, ast.List | ast.Tuple):
                        return [getattr(e, "value", "") for e in keyword.value.elts]
                return ["GET"]
    return None


def module_functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def commits(func: ast.FunctionDef, functions: dict[str, ast.FunctionDef], seen: set[str]) -> bool:
    """Whether `func`, or a function of its module that it calls, commits."""
    if calls_commit(func):
        return True
    for sub in ast.walk(func):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name):
            callee = functions.get(sub.func.id)
            if callee is not None and callee.name not in seen:
                seen.add(callee.name)
                if commits(callee, functions, seen):
                    return True
    return False


def check_functions(rel: Path, tree: ast.Module, problems: list[str]) -> None:
    functions = module_functions(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if rel.parts[0] == "bench" and length > MAX_BENCH_LINES:
            problems.append(f"{rel}:{node.lineno}: {node.name} has {length} lines (max 50)")
        methods = route_methods(node)
        if methods is None:
            continue
        if length > MAX_VIEW_LINES:
            problems.append(f"{rel}:{node.lineno}: view {node.name} has {length} lines (max 25)")
        if methods == ["GET"] and commits(node, functions, {node.name}):
            problems.append(f"{rel}:{node.lineno}: GET route {node.name} commits")
    if not may_act(rel) and calls_commit(tree):
        problems.append(f"{rel}: commits outside a view")
    if rel.name != "blueprint.py" and declares_blueprint(tree):
        problems.append(f"{rel}: declares a blueprint outside blueprint.py")


def declares_blueprint(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Blueprint"
        for node in ast.walk(tree)
    )


def check(root: Path = PACKAGE) -> list[str]:
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            problems.append(f"{rel}: {lines} lines (max {MAX_MODULE_LINES})")
        tree = ast.parse(text, filename=str(path))
        module = "tafel." + ".".join(rel.with_suffix("").parts)
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
        check_imports(rel, tree, module, problems)
        check_functions(rel, tree, problems)
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    if problems:
        print(f"layers: {len(problems)} problem(s)")
        return 1
    print("layers: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
