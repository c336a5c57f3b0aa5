"""Structured evidence in a YAML file is shown to people in Chinese, not as its keys."""

from __future__ import annotations

from wenming.frameworks.io.yaml_io import _evidence_text


def test_structured_evidence_reads_as_chinese() -> None:
    assert (
        _evidence_text(
            [{"kind": "photo", "count": 3}, {"kind": "summary", "note": "领导讲话文字材料"}]
        )
        == "现场图片不少于3份；总结/说明报告（领导讲话文字材料）"
    )
    assert _evidence_text([{"kind": "summary", "max_chars": 1500}]) == "总结/说明报告（1500字以内）"
    # A kind the platform does not know is kept as written.
    assert _evidence_text([{"kind": "台账照片"}, "签到表"]) == "台账照片；签到表"
