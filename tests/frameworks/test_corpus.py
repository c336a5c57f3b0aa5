"""The corpus of real-shaped evaluation systems (tests/frameworks/corpus/): each document
reads through `read_document` + `read_layout` with the counts its manifest states, or is
refused naming the rows and amounts the manifest names."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from wenming.frameworks.io.documents import read_document
from wenming.frameworks.io.layout import read_layout
from wenming.frameworks.io.reading import Corrections, Reading
from wenming.frameworks.io.spec import NodeSpec
from wenming.frameworks.models import Section

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = CORPUS / "manifest.yaml"
DOCUMENTS: list[dict[str, Any]] = (
    yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["documents"] if MANIFEST.exists() else []
)
NEEDS_SOFFICE = {"doc", "wps"}


def _read(entry: dict[str, Any], corrections: Corrections | None = None) -> Reading:
    path = CORPUS / "files" / entry["file"]
    if entry.get("content") in NEEDS_SOFFICE:
        import shutil

        if shutil.which("soffice") is None:
            pytest.skip("LibreOffice is not installed: .doc/.wps cannot be converted")
    return read_layout(read_document(path.read_bytes(), entry["file"]), corrections)


def counts(reading: Reading) -> dict[str, Any]:
    spec = reading.tree
    leaves = [n for n, _ in spec.walk() if n.is_leaf]

    def by(section: str) -> int:
        return sum(1 for n in leaves if n.section == section)

    summary = spec.summary()
    return {
        "items": summary["items"],
        "standards": summary["standards"],
        "basic_standards": by(Section.BASIC),
        "bonus_standards": by(Section.BONUS),
        "deduction_standards": by(Section.DEDUCTION),
        "veto_standards": by(Section.VETO),
        "points_total": summary["points_total"],
        "bonus_cap": summary["bonus_cap"],
        "max_total": summary["max_total"],
    }


def _at(reading: Reading, check: dict[str, Any]) -> list[NodeSpec]:
    """Nodes read from the check's row whose title contains the check's text."""
    return [
        node
        for node, _ in reading.tree.walk()
        if node.origin.sheet == check["table"]
        and node.origin.row == check["row"]
        and check["title_contains"] in node.title
        and (node.is_leaf if check["kind"] == "standard" else not node.is_leaf)
    ]


GOOD = [d for d in DOCUMENTS if not d.get("refused")]
BROKEN = [d for d in DOCUMENTS if d.get("refused")]


@pytest.mark.parametrize("entry", GOOD, ids=[d["file"] for d in GOOD])
def test_document_reads_with_its_counts(entry: dict[str, Any]) -> None:
    reading = _read(entry)
    assert [str(p) for p in reading.problems] == []
    expected = entry["expected"]
    got = counts(reading)
    assert {k: got[k] for k in got if k in expected} == {
        k: v for k, v in expected.items() if k in got
    }
    spec = reading.tree
    for key in ("pass_threshold", "excellent_threshold"):
        if key in expected:
            assert getattr(spec, key) == Decimal(expected[key]), key
    for check in entry.get("checks", []):
        found = _at(reading, check)
        assert found, check
        node = found[0]
        assert node.section == check["section"], check
        if "points" in check:
            assert node.effective_points() == Decimal(check["points"]), check
        for key in ("per_incident", "deduction_cap", "deduction_step"):
            if key in check:
                assert getattr(node, key) == Decimal(str(check[key])), (key, check)
        for key in ("code", "incident_unit", "lookback", "scoring_mode", "scoring_rule"):
            if key in check:
                assert getattr(node, key) == check[key], (key, check)
        if "grades" in check:
            assert node.grades == [
                (str(label), Decimal(str(p))) for label, p in check["grades"].items()
            ], check


@pytest.mark.parametrize("entry", BROKEN, ids=[d["file"] for d in BROKEN])
def test_broken_document_is_refused_naming_the_place(entry: dict[str, Any]) -> None:
    reading = _read(entry)
    assert reading.spec is None and reading.problems
    for error in entry["errors"]:
        matching = [
            p
            for p in reading.problems
            if (error["row"] is None or (p.sheet, p.row) == (error["table"], error["row"]))
            and all(fragment in p.message for fragment in error["fragments"])
        ]
        assert matching or error.get("lenient"), (error, [str(p) for p in reading.problems])
