"""Comparing two versions: added, removed, reworded standards and changed points."""

from __future__ import annotations

from django.urls import reverse

from wenming.frameworks import services
from wenming.frameworks.io import diff
from wenming.frameworks.io.yaml_io import load

OLD = """
framework: {code: C, name: 体系}
items:
  - code: A
    title: 组织领导
    children:
      - {code: A1, title: 成立领导小组, points: 2}
      - {code: A2, title: 制定方案, points: 3}
      - {code: A3, title: 每年召开专题会议, points: 1}
"""
NEW = """
framework: {code: C, name: 体系}
items:
  - code: A
    title: 组织领导
    children:
      - {code: A1, title: 成立领导小组并下设办公室, points: 2}
      - {code: A2, title: 制定方案, points: 4}
      - {code: A4, title: 每年召开专题会议, points: 1}
      - {code: A5, title: 创建经费有保障, points: 1}
  - code: B
    title: 新项目
    children:
      - {code: B1, title: 开展志愿服务, points: 2}
"""


def test_compare_names_each_kind_of_change() -> None:
    result = diff.compare(load(OLD), load(NEW))
    kinds = {(c.kind, c.code) for c in result.changes}
    assert ("reworded", "A1") in kinds
    assert ("points", "A2") in kinds
    assert ("renumbered", "A4") in kinds  # same title, new code: not removed + added
    assert ("added", "A5") in kinds and ("added", "B1") in kinds
    assert not any(c.kind == "removed" for c in result.changes)
    assert result.counts["added"] == 2
    assert (result.old_total, result.new_total) == (6, 10)


def test_removed_standard_is_reported() -> None:
    result = diff.compare(load(NEW), load(OLD))
    removed = [c.code for c in result.changes if c.kind == "removed"]
    assert removed == ["A5", "B", "B1"]


def test_compare_page(as_user, office_admin, demo):  # type: ignore[no-untyped-def]
    old = services.framework_import(
        content=OLD.encode(), filename="a.yaml", owner=demo["office"], user=None
    ).framework
    new = services.framework_import(
        content=NEW.encode(), filename="b.yaml", owner=demo["office"], user=None
    ).framework
    assert old is not None and new is not None and new.previous == old
    html = (
        as_user(office_admin)
        .get(reverse("frameworks:diff"), {"old": old.pk, "new": new.pk})
        .content.decode()
    )
    assert "创建经费有保障" in html and "分值变化" in html and "3分" in html and "4分" in html
    # Without a choice the page offers the newest version against the one before it.
    blank = as_user(office_admin).get(reverse("frameworks:diff")).content.decode()
    assert f'value="{new.pk}" selected' in blank
