"""Build the corpus of evaluation systems shaped like real published ones.

    .venv/bin/python tests/frameworks/corpus/build_corpus.py          # write files/ and manifest.yaml
    .venv/bin/python tests/frameworks/corpus/build_corpus.py --show   # also list every row read back

Writes every document into files/ (openpyxl and python-docx, then LibreOffice for .xls, .et,
.ods, .doc and .wps), reads each one back with an independent reader (openpyxl, xlrd,
python-calamine, python-docx; .doc/.wps through LibreOffice) to check that every standard sits
on the row the manifest says, and writes manifest.yaml: what a correct import of each file
gives. The expected numbers are computed from the same outline the document is drawn from.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus_docs_a import DOCS as DOCS_A  # noqa: E402
from corpus_docs_b import DOCS as DOCS_B  # noqa: E402
from corpus_docs_c import DOCS as DOCS_C  # noqa: E402
from corpus_model import Doc, Grid, Node, check_sums, fmt  # noqa: E402
from corpus_writers import read_any, soffice_convert, write_docx, write_xlsx  # noqa: E402

FILES = HERE / "files"
MANIFEST = HERE / "manifest.yaml"
MAX_BYTES = 200 * 1024
DOCS: list[Doc] = [*DOCS_A, *DOCS_B, *DOCS_C]
CONTENT_KIND = {
    "xlsx": "xlsx",
    "xls": "xls",
    "et": "xls",
    "ods": "ods",
    "docx": "docx",
    "doc": "doc",
    "wps": "doc",
}
ENUM_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[）)．.、])\s*"
)


def write(doc: Doc, grids: list[Grid], tmp: Path) -> Path:
    target = FILES / doc.file
    base = "docx" if doc.word else "xlsx"
    source = tmp / f"{target.stem}.{base}"
    if doc.word:
        write_docx(grids, source)
    else:
        write_xlsx(grids, source)
    kind = CONTENT_KIND[doc.fmt]
    if kind == base:
        shutil.copyfile(source, target)
    else:
        shutil.copyfile(soffice_convert(source, kind, tmp / "out"), target)
    return target


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def verify(doc: Doc, grids: list[Grid], path: Path) -> list[str]:
    """Read the written file back and check each standard is on its recorded row."""
    problems: list[str] = []
    tables, paragraphs = read_any(path)
    names = [name for name, _, _ in tables]
    if names != [g.name for g in grids]:
        problems.append(f"tables {names} != {[g.name for g in grids]}")
    by_name = {name: rows for name, rows, _ in tables}
    hidden = {name for name, _, is_hidden in tables if is_hidden}
    if hidden != {g.name for g in grids if g.hidden}:
        problems.append(f"hidden sheets {hidden}")
    for grid in grids:
        rows = by_name.get(grid.name, [])
        for node, row in grid.leaf_rows:
            text = compact("".join(rows[row])) if row < len(rows) else ""
            if compact(node.title)[:10] not in text:
                problems.append(
                    f"{grid.name} row {row + 1}: {node.title[:20]!r} not in {text[:40]!r}"
                )
        for line in grid.after + grid.before:
            if doc.word and line.lstrip("^>") not in paragraphs:
                problems.append(f"paragraph missing: {line[:20]!r}")
        for r, cells in enumerate(grid.rows):
            for c, value in enumerate(cells):
                cached = getattr(value, "cached", None)
                if cached is not None and rows[r][c] != str(cached):
                    problems.append(f"{grid.name} {r + 1}/{c + 1}: formula value {rows[r][c]!r}")
    return problems


def short_title(node: Node) -> str:
    return compact(ENUM_RE.sub("", node.title))[:14]


def spot_check(node: Node, table: str, row: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "table": table,
        "row": row + 1,
        "kind": "standard" if node.is_leaf else "group",
        "section": node.section,
        "title_contains": short_title(node),
    }
    if node.get("code"):
        entry["code"] = node.get("code")
    points = node.stated if node.is_leaf else node.total()
    if points is not None and node.section in {"basic", "bonus"}:
        entry["points"] = fmt(points)
    if node.get("mode"):
        entry["scoring_mode"] = node.get("mode")
        entry["scoring_rule"] = node.get("r")
    if node.get("grades"):
        entry["grades"] = dict(part.split(":") for part in node.get("grades").split(","))
    for key, name in [
        ("step", "deduction_step"),
        ("per", "per_incident"),
        ("cap", "deduction_cap"),
    ]:
        if node.get(key):
            entry[name] = node.get(key)
    if node.get("unit"):
        entry["incident_unit"] = node.get("unit")
    if node.section == "veto" and node.get("w"):
        entry["lookback"] = node.get("w")
    return entry


def manifest_entry(doc: Doc, grids: list[Grid]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "file": doc.file,
        "format": doc.fmt,
        "content": CONTENT_KIND[doc.fmt],
        "modelled_on": doc.modelled_on,
        "unusual": doc.unusual,
        "tables": [g.name + ("（隐藏）" if g.hidden else "") for g in grids],
    }
    if doc.refused is not None:
        entry["refused"] = True
        entry["errors"] = [_error(doc, grids, e) for e in doc.refused]
        return entry
    entry["expected"] = doc.expected()
    entry["meta"] = doc.meta
    checks = []
    for grid in grids:
        marked = [(n, r) for n, r in grid.group_rows + grid.leaf_rows if n.get("chk")]
        checks += [spot_check(n, grid.name, r) for n, r in sorted(marked, key=lambda p: p[1])]
    entry["checks"] = checks
    return entry


def _error(doc: Doc, grids: list[Grid], spec: dict[str, Any]) -> dict[str, Any]:
    error: dict[str, Any] = {"table": grids[0].name, "row": None}
    for grid in grids:
        if spec.get("mark") in grid.marks:
            error["table"], error["row"] = grid.name, grid.marks[spec["mark"]] + 1
    error |= {key: value for key, value in spec.items() if key != "mark"}
    return error


HEADER = """\
# Generated by build_corpus.py from the outlines in corpus_docs_*.py: do not edit by hand.
#
# For each file in files/: what it is modelled on, what is unusual about its layout, and what a
# correct import gives (docs/frameworks.md counting rules):
#   items               top-level items of the basic section
#   standards           every scored or veto leaf: basic + bonus + deduction + veto
#   basic_standards, bonus_standards, deduction_standards, veto_standards   the same by section
#   points_total        the basic total;  bonus_cap  the bonus section's cap (null: no bonus)
#   max_total           points_total + bonus_cap
#   pass_threshold / excellent_threshold   only where the document states them
# Points are strings (read them as Decimal). `checks` pin single rows: `table` is the sheet name
# or, for Word, 表格N (Nth table); `row` is the Excel row, or the row in its Word table with the
# table's first row as 1. `title_contains` is a piece of the title without its leading number.
# Scoring in checks: scoring_mode grade with `grades` (label: points, in order), or deduct with
# deduction_step; deductions give per_incident / deduction_cap / incident_unit; vetoes lookback.
# `meta` (title, issuer, edition_year) is what the document states about itself (informative).
# Broken files have `refused: true` and `errors`: problems the refusal must name (it may name
# more), each with the table, the row (null: none in particular) and text `fragments` that must
# all appear in its message. An entry with `lenient: true` is not required to be an error: the
# reader may accept `value` as `may_read_as` if the preview says so.
"""


def build(show: bool) -> int:
    FILES.mkdir(exist_ok=True)
    entries, failures = [], 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for doc in DOCS:
            check_sums(doc.sections, allow=doc.allow_mismatch)
            grids = doc.layout(doc)
            path = write(doc, grids, tmp)
            problems = verify(doc, grids, path)
            size = path.stat().st_size
            if size > MAX_BYTES:
                problems.append(f"{size} bytes")
            failures += len(problems)
            status = "ok" if not problems else "; ".join(problems[:5])
            print(f"{doc.file:40} {size:>7} bytes  {status}")
            if show:
                show_rows(path)
            entries.append(manifest_entry(doc, grids))
    text = yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False, width=1000)
    MANIFEST.write_text(HEADER + text, encoding="utf-8")
    return 1 if failures else 0


def show_rows(path: Path) -> None:
    tables, paragraphs = read_any(path)
    for name, rows, hidden in tables:
        print(f"  == {name}{' (hidden)' if hidden else ''}")
        for number, cells in enumerate(rows, start=1):
            shown = " | ".join(compact(c)[:24] for c in cells)
            if shown.strip(" |"):
                print(f"  {number:>3}: {shown}")
    for paragraph in paragraphs:
        if paragraph.strip():
            print(f"  ¶ {paragraph[:60]}")


if __name__ == "__main__":
    sys.exit(build("--show" in sys.argv))
