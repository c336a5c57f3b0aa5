"""The evaluation-system screens: library, tree, import, export, publish, versions, edits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wenming.frameworks import services
from wenming.frameworks.io import spec as spec_mod
from wenming.frameworks.io import yaml_io
from wenming.frameworks.models import Framework, FrameworkStatus, ImportDraft, Node
from wenming.orgs.demo import SAMPLE_FRAMEWORK

SMALL = """
framework: {code: S, name: 小体系, basic_points: 3}
items:
  - code: A
    title: 项目甲
    points: 3
    children:
      - {code: A1, title: 标准一, points: 1}
      - {code: A2, title: 标准二, points: 2}
"""


@pytest.fixture
def published(demo) -> Framework:  # type: ignore[no-untyped-def]
    return Framework.objects.get(owner=demo["office"], lineage="SAMPLE-WMDW")


def test_library_lists_what_the_user_may_see(as_user, coordinator, outsider_admin, published):  # type: ignore[no-untyped-def]
    page = as_user(coordinator).get(reverse("frameworks:list"))
    assert page.status_code == 200
    assert "示例·文明单位测评体系" in page.content.decode()
    # Another city's office sees nothing of ours.
    other = as_user(outsider_admin).get(reverse("frameworks:list")).content.decode()
    assert "示例·文明单位测评体系" not in other


def test_tree_shows_points_methods_and_marks(as_user, coordinator, published):  # type: ignore[no-untyped-def]
    html = (
        as_user(coordinator).get(reverse("frameworks:detail", args=[published.pk])).content.decode()
    )
    assert "分值核对通过" in html
    assert "组织领导（创建工作机制）" in html and "材料审核" in html
    assert "一票否决" in html and "加分上限 10 分" in html
    assert (
        "修改" not in html.split("版本记录")[0] or "node_edit" not in html
    )  # published: no edit links
    assert "创建新版本" not in html  # coordinator does not manage the office's system


def test_tree_page_query_count_does_not_grow_with_the_tree(
    as_user, office_admin, demo, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    small = services.framework_import(
        content=SMALL.encode(), filename="s.yaml", owner=demo["office"], user=None
    ).framework
    big = services.framework_import(
        content=SAMPLE_FRAMEWORK.read_bytes(), filename="b.yaml", owner=demo["office"], user=None
    ).framework
    client = as_user(office_admin)
    for framework in (small, big):
        assert framework is not None
        with django_assert_max_num_queries(12):
            assert client.get(reverse("frameworks:detail", args=[framework.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("frameworks:list")).status_code == 200


def test_import_page_imports_a_yaml_file(as_user, office_admin, demo):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    response = client.post(
        reverse("frameworks:import"),
        {
            "file": SimpleUploadedFile("体系.yaml", SMALL.encode()),
            "owner": demo["office"].pk,
            "edition_year": 2026,
        },
    )
    # Nothing is saved until the reading is confirmed in the preview.
    assert not Framework.objects.filter(lineage="S").exists()
    draft = ImportDraft.objects.get(created_by=office_admin)
    assert response.status_code == 302 and response["Location"] == reverse(
        "frameworks:import_preview", args=[draft.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "核对读取结果" in page and "核对通过，可以保存" in page
    saved = client.post(reverse("frameworks:import_save", args=[draft.pk]))
    framework = Framework.objects.get(lineage="S")
    assert saved["Location"] == reverse("frameworks:detail", args=[framework.pk])
    assert framework.status == FrameworkStatus.DRAFT and framework.edition_year == 2026
    follow = client.get(saved["Location"]).content.decode()
    assert "导入成功：1个测评项目、2条测评标准，基本分合计3分" in follow


def test_import_page_lists_every_problem_and_writes_nothing(as_user, office_admin, demo):  # type: ignore[no-untyped-def]
    before = Framework.objects.count()
    bad = SMALL.replace("points: 1}", "points: 一分}").replace("points: 2}", "points: -2}")
    response = as_user(office_admin).post(
        reverse("frameworks:import"),
        {"file": SimpleUploadedFile("bad.yaml", bad.encode()), "owner": demo["office"].pk},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "未导入：文件中有" in html and "不是数字" in html and "不能为负数" in html
    assert Framework.objects.count() == before


def test_import_refuses_a_file_over_the_limit(as_user, office_admin, demo, settings):  # type: ignore[no-untyped-def]
    settings.WENMING_IMPORT_MAX_BYTES = 1024
    response = as_user(office_admin).post(
        reverse("frameworks:import"),
        {"file": SimpleUploadedFile("big.yaml", b"#" * 5000), "owner": demo["office"].pk},
    )
    assert response.status_code == 422 and "文件超过" in response.content.decode()


def test_import_as_another_organization_is_refused(as_user, coordinator, demo):  # type: ignore[no-untyped-def]
    response = as_user(coordinator).post(
        reverse("frameworks:import"),
        {"file": SimpleUploadedFile("s.yaml", SMALL.encode()), "owner": demo["office"].pk},
    )
    assert response.status_code == 200  # form error: the office is not among the choices
    assert not Framework.objects.filter(lineage="S").exists()


def test_staff_cannot_reach_the_import_page(as_user, staff):  # type: ignore[no-untyped-def]
    assert as_user(staff).get(reverse("frameworks:import")).status_code == 403


def test_export_both_formats_round_trip(as_user, coordinator, published):  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    yaml_response = client.get(reverse("frameworks:export", args=[published.pk, "yaml"]))
    assert yaml_response.status_code == 200
    assert "attachment" in yaml_response["Content-Disposition"]
    again = yaml_io.load(yaml_response.content)
    assert again.comparable() == spec_mod.from_framework(published).comparable()
    xlsx = client.get(reverse("frameworks:export", args=[published.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get(reverse("frameworks:export", args=[published.pk, "pdf"])).status_code == 404


def test_publish_freezes_and_new_version_copies(as_user, office_admin, demo):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    draft = services.framework_import(
        content=SMALL.encode(), filename="s.yaml", owner=demo["office"], user=None
    ).framework
    assert draft is not None
    node = Node.objects.get(framework=draft, code="A1")
    edit_url = reverse("frameworks:node_edit", args=[draft.pk, node.pk])
    # A draft can be edited.
    response = client.post(
        edit_url,
        {"title": "标准一（修订）", "points": "1", "scoring_mode": "free", "methods": ["材料审核"]},
    )
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.title == "标准一（修订）" and node.methods == ["材料审核"]
    client.post(reverse("frameworks:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED and draft.published_at is not None
    # A published one cannot.
    client.post(edit_url, {"title": "偷改", "points": "1", "scoring_mode": "free"})
    node.refresh_from_db()
    assert node.title == "标准一（修订）"
    response = client.post(reverse("frameworks:new_version", args=[draft.pk]))
    new = Framework.objects.get(lineage="S", version=2)
    assert response["Location"] == reverse("frameworks:detail", args=[new.pk])
    assert new.previous == draft and new.status == FrameworkStatus.DRAFT
    assert (
        Node.objects.filter(framework=new).count() == Node.objects.filter(framework=draft).count()
    )
    # Only one open draft per system.
    client.post(reverse("frameworks:new_version", args=[draft.pk]))
    assert Framework.objects.filter(lineage="S").count() == 2


def test_publish_refuses_a_draft_whose_totals_disagree(as_user, office_admin, demo):  # type: ignore[no-untyped-def]
    draft = services.framework_import(
        content=SMALL.encode(), filename="s.yaml", owner=demo["office"], user=None
    ).framework
    assert draft is not None
    node = Node.objects.get(framework=draft, code="A1")
    client = as_user(office_admin)
    client.post(
        reverse("frameworks:node_edit", args=[draft.pk, node.pk]),
        {"title": "标准一", "points": "1.5", "scoring_mode": "free"},
    )
    page = client.get(reverse("frameworks:detail", args=[draft.pk])).content.decode()
    assert "标注3分，但其下各项合计3.5分" in page
    client.post(reverse("frameworks:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.DRAFT


def test_node_edit_refuses_negative_points(as_user, office_admin, demo):  # type: ignore[no-untyped-def]
    draft = services.framework_import(
        content=SMALL.encode(), filename="s.yaml", owner=demo["office"], user=None
    ).framework
    node = Node.objects.get(framework=draft, code="A1")
    response = as_user(office_admin).post(
        reverse("frameworks:node_edit", args=[draft.pk, node.pk]),
        {"title": "x", "points": "-1", "scoring_mode": "free"},
    )
    assert response.status_code == 200 and "分值不能为负数" in response.content.decode()
    node.refresh_from_db()
    assert node.points == Decimal("1")


def test_drafts_are_hidden_from_units_below(as_user, office_admin, coordinator, demo):  # type: ignore[no-untyped-def]
    draft = services.framework_import(
        content=SMALL.encode(), filename="s.yaml", owner=demo["office"], user=None
    ).framework
    assert draft is not None
    assert (
        as_user(coordinator).get(reverse("frameworks:detail", args=[draft.pk])).status_code == 404
    )
    assert (
        as_user(office_admin).get(reverse("frameworks:detail", args=[draft.pk])).status_code == 200
    )
