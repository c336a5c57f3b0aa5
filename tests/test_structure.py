"""The shape of the house (docs/architecture.md), checked on every run.

- Imports between apps run only downward through the layers, bottom to top: `core` → `orgs`
  → `trace` → `frameworks` → `campaigns` → `tasks` → `ledger` → `scoring` and `oversight`
  (peers: neither imports the other) → `notifications` → `dashboards`. An app that must show
  up on a lower app's screens registers itself in `AppConfig.ready()` (`core.registry`).
- No module imports another app's views, or a private (`_name`) name of another app.
- No module over 800 lines, no function over 80 lines (migrations and demo data aside).

Imports under `if TYPE_CHECKING:` are annotations only and are not counted.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "wenming"

LAYERS: dict[str, int] = {
    "core": 0,
    "orgs": 1,
    "trace": 2,
    "frameworks": 3,
    "campaigns": 4,
    "tasks": 5,
    "ledger": 6,
    "scoring": 7,
    "oversight": 7,
    "activities": 7,
    "registry": 8,
    "applications": 9,
    "rechecks": 9,
    "supervision": 9,
    "notifications": 10,
    "dashboards": 11,
}
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Import:
    path: str
    line: int
    module: str
    names: tuple[str, ...]


def _python_files() -> list[Path]:
    return sorted(
        p for p in ROOT.rglob("*.py") if "migrations" not in p.parts and "static" not in p.parts
    )


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                if hasattr(sub, "lineno"):
                    lines.add(sub.lineno)
    return lines


def _imports(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    rel = path.relative_to(ROOT.parent).as_posix()
    found: list[Import] = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = tuple(a.name for a in node.names)
            if node.module == "wenming":
                found += [Import(rel, node.lineno, f"wenming.{n}", ()) for n in names]
            else:
                found.append(Import(rel, node.lineno, node.module, names))
        elif isinstance(node, ast.Import):
            found += [Import(rel, node.lineno, a.name, ()) for a in node.names]
    return found


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "wenming" and parts[1] in LAYERS:
        return parts[1]
    return None


def _app_of_path(path: Path) -> str | None:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 and parts[0] in LAYERS else None


def test_every_app_has_a_layer() -> None:
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps == set(LAYERS), "a new app needs its place in LAYERS and docs/architecture.md"


def test_imports_run_only_downward() -> None:
    upward = []
    for path in _python_files():
        me = _app_of_path(path)
        if me is None:
            continue  # wenming/urls.py, api.py, settings.py: the project, above every app
        for imp in _imports(path):
            other = _app_of(imp.module)
            if other is None and imp.module.startswith("wenming.") and imp.module != "wenming":
                top = imp.module.split(".")[1]
                if top in {"urls", "api"}:
                    upward.append(f"{imp.path}:{imp.line} imports the project's {imp.module}")
                continue
            if other is None or other == me:
                continue
            if LAYERS[other] >= LAYERS[me]:
                upward.append(f"{imp.path}:{imp.line} {me} imports {imp.module} ({other})")
    assert upward == []


def test_no_app_reaches_into_another_apps_views_or_private_names() -> None:
    wrong = []
    for path in _python_files():
        me = _app_of_path(path)
        for imp in _imports(path):
            other = _app_of(imp.module)
            if other is None or other == me:
                continue
            if imp.module.split(".")[-1] == "views" or ".views." in imp.module:
                wrong.append(f"{imp.path}:{imp.line} imports {imp.module}")
            wrong += [
                f"{imp.path}:{imp.line} imports private {n} from {imp.module}"
                for n in imp.names
                if n.startswith("_")
            ]
    assert wrong == []


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_modules_and_functions_stay_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_MODULE_LINES, f"split {path.name} into a package"
    if path.name == "demo.py":
        return  # demo data: long lists of made-up records, read top to bottom
    long = [
        f"{node.name}() {(node.end_lineno or node.lineno) - node.lineno + 1} lines"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []
