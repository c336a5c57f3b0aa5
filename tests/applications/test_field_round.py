"""实地测评 on the frozen submission: the office's formal round of an applicant, owned by the
office (no campaign), scored against the batch's system with the frozen items as the proof,
by the assessors assigned; the unit reads it once the result is recorded."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.applications.conftest import FORM, TODAY
from wenming.applications import access, field_round, services
from wenming.applications.models import Batch
from wenming.frameworks.models import Node
from wenming.orgs.models import Membership, Role

API = "/api/v1/applications"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office_inspector(demo) -> User:  # type: ignore[no-untyped-def]
    """A 督查员 of 临州市文明办: an office person, not its admin."""
    user = User.objects.create_user("wmb_ducha", first_name="钱督查")
    Membership.objects.create(user=user, organization=demo["office"], role=Role.INSPECTOR)
    return user


@pytest.fixture
def framed_batch(batch, campaign) -> Batch:  # type: ignore[no-untyped-def]
    """The batch scores against the system the unit's campaign uses."""
    Batch.objects.filter(pk=batch.pk).update(framework=campaign.framework)
    batch.refresh_from_db()
    return batch


@pytest.fixture
def filed(framed_batch, entry, make_item, coordinator, office_admin, office_inspector):  # type: ignore[no-untyped-def]
    """An item on the ledger, the application submitted (its ledger frozen) and accepted, and
    the field round arranged with the office's 督查员 as assessor."""
    item = make_item()
    application = services.application_submit(
        batch=framed_batch, unit=entry.unit, user=coordinator, **FORM
    )
    services.application_accept(application=application, user=office_admin)
    services.field_round_open(
        application=application, user=office_admin, scored_on=TODAY, assessors=[office_inspector]
    )
    application.refresh_from_db()
    return application, item


def _standard(item: Any) -> Node:
    return item.standards.get()


def test_the_round_is_the_office_s_not_the_campaign_s(filed, demo, campaign) -> None:  # type: ignore[no-untyped-def]
    application, _ = filed
    round_ = application.field_round
    assert round_.campaign is None
    assert (round_.office, round_.unit, round_.kind) == (demo["office"], demo["unit"], "formal")
    assert round_.framework == application.batch.framework
    # The campaign's own screens never list it.
    client = _client(User.objects.get(username="wmb_admin"))
    assert round_.title not in client.get(reverse("scoring:rounds", args=[campaign.pk])).text
    assert client.get(reverse("scoring:sheet", args=[round_.pk])).status_code == 404


def test_a_batch_without_a_system_cannot_be_scored_on_the_platform(  # type: ignore[no-untyped-def]
    application, office_admin
) -> None:
    services.application_accept(application=application, user=office_admin)
    with pytest.raises(ValidationError, match="该批次没有设置测评体系"):
        services.field_round_open(
            application=application, user=office_admin, scored_on=TODAY, assessors=[office_admin]
        )
    application.refresh_from_db()
    assert application.field_round is None


def test_the_frozen_items_back_the_scores_whatever_the_ledger_does_later(  # type: ignore[no-untyped-def]
    filed, office_inspector, staff, make_item
) -> None:
    from wenming.ledger import services as ledger

    application, item = filed
    standard = _standard(item)
    nodes = list(Node.objects.filter(framework_id=standard.framework_id))
    row = field_round.frozen_context(application, nodes).ledger[standard.pk]
    assert row.items == 1
    # The unit removes the item and files another after freezing: the submission is unchanged.
    ledger.item_remove(item=item, user=staff, reason="重复上传")
    make_item(title="冻结之后补的台账")
    context = field_round.frozen_context(application, nodes)
    assert context.ledger[standard.pk].items == 1
    assert [title for _, title, _ in context.evidence.options[standard.pk]] == ["3月道德讲堂"]
    # A score cites the frozen item; an item outside the submission is not citable.
    later = make_item(title="另一份台账")
    score = field_round.field_score_set(
        application=application,
        standard=standard,
        user=office_inspector,
        points=standard.points,
        evidence_ids=[item.pk, later.pk],
    )
    assert list(score.evidence.values_list("pk", flat=True)) == [item.pk]


def test_assessors_score_finish_and_the_result_is_the_round_s_total(  # type: ignore[no-untyped-def]
    filed, office_inspector, office_admin, coordinator, leader
) -> None:
    application, item = filed
    standard = _standard(item)
    for person in (coordinator, leader):
        with pytest.raises(PermissionDenied, match="只有本次实地测评的测评人员和文明办管理员"):
            access.get_field_round_for_user(person, application.field_round_id, write=True)
    assert access.get_field_round_for_user(office_inspector, application.field_round_id, write=True)
    with pytest.raises(ValidationError, match="有失分，请写明扣分理由"):
        field_round.field_score_set(
            application=application, standard=standard, user=office_inspector, points=Decimal(0)
        )
    field_round.field_score_set(
        application=application,
        standard=standard,
        user=office_inspector,
        points=standard.points,
        comment="现场查看会议记录",
    )
    with pytest.raises(ValidationError, match="尚未完成打分"):
        services.field_assessment_record(
            application=application, user=office_admin, survey_rate=None, survey_note=""
        )
    field_round.field_round_finish(application=application, user=office_inspector)
    with pytest.raises(ValidationError, match="已完成打分，不能再修改"):
        field_round.field_score_set(
            application=application,
            standard=standard,
            user=office_inspector,
            points=standard.points,
        )
    services.field_assessment_record(
        application=application,
        user=office_admin,
        survey_rate=Decimal("95"),
        survey_note="问卷50份",
        field_score=Decimal("99"),  # ignored: the round's total counts
    )
    application.refresh_from_db()
    assert application.status == "assessed"
    assert application.field_score == standard.points
    # Recorded: the round is the record now, nobody reopens or rescores it.
    with pytest.raises(ValidationError, match="不能重新打开实地测评打分"):
        field_round.field_round_reopen(application=application, user=office_admin)
    with pytest.raises(ValidationError, match="不能修改实地测评打分"):
        field_round.field_score_set(
            application=application, standard=standard, user=office_admin, points=standard.points
        )


def test_who_reads_the_sheet(filed, coordinator, outsider_admin, office_admin, advance) -> None:  # type: ignore[no-untyped-def]
    application, _ = filed
    url = reverse("applications:field_sheet", args=[application.field_round_id])
    assert _client(outsider_admin).get(url).status_code == 404
    refused = _client(coordinator).get(url)
    assert refused.status_code == 403
    assert "文明办录入实地测评结果后，本单位可以查看" in refused.text
    field_round.field_round_finish(application=application, user=office_admin)
    services.field_assessment_record(
        application=application, user=office_admin, survey_rate=None, survey_note=""
    )
    page = _client(coordinator).get(url)
    assert page.status_code == 200
    assert "实地测评结果已录入" in page.text and "完成打分</button>" not in page.text
    home = _client(coordinator).get(reverse("applications:application", args=[application.pk]))
    assert url in home.text


def test_the_sheet_scores_through_its_form(filed, office_inspector) -> None:  # type: ignore[no-untyped-def]
    application, item = filed
    standard = _standard(item)
    client = _client(office_inspector)
    url = reverse("applications:field_sheet", args=[application.field_round_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "申报时冻结的台账材料" in page.text and "冻结台账" in page.text
    assert "3月道德讲堂" in page.text
    action = reverse("applications:field_score", args=[application.field_round_id, standard.pk])
    assert action in page.text
    refused = client.post(action, {"points": "0"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "请写明扣分理由" in refused.text
    saved = client.post(
        action,
        {"points": str(standard.points), "evidence_offered": "1", "evidence": [str(item.pk)]},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and "已保存" in saved.text
    assert 'id="totals-panel"' in saved.text and "测评打分" in saved.text
    finish = client.post(reverse("applications:field_finish", args=[application.field_round_id]))
    assert finish.status_code == 302
    application.field_round.refresh_from_db()
    assert application.field_round.status == "finished"
    other = Node.objects.filter(framework_id=standard.framework_id, is_leaf=False).first()
    bad = reverse("applications:field_score", args=[application.field_round_id, other.pk])
    assert client.post(bad, {"points": "1"}).status_code == 404


def test_the_sheet_costs_the_same_with_more_frozen_items(  # type: ignore[no-untyped-def]
    filed, office_inspector, make_item
) -> None:
    application, _ = filed
    client = _client(office_inspector)
    url = reverse("applications:field_sheet", args=[application.field_round_id])

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for n in range(5):
        make_item(title=f"第{n}次活动")
    services.freeze_snapshot(application)
    assert queries() == small


def test_standards_of_another_version_are_matched_by_code(filed, campaign) -> None:  # type: ignore[no-untyped-def]
    """The campaign ran on a system the batch does not use: the frozen items' standards are
    found in the batch's system by their codes."""
    from wenming.frameworks.models import Framework

    application, item = filed
    standard = _standard(item)
    original = campaign.framework
    copy = Framework.objects.get(pk=original.pk)
    copy.pk = None
    copy.version = original.version + 1
    copy.save()
    ids: dict[int, int] = {}
    for node in Node.objects.filter(framework=original).order_by("depth", "position"):
        old = node.pk
        node.pk = None
        node.framework = copy
        node.parent_id = ids.get(node.parent_id) if node.parent_id else None
        node.save()
        ids[old] = node.pk
    nodes = list(Node.objects.filter(framework=copy))
    row = field_round.frozen_context(application, nodes).ledger[ids[standard.pk]]
    assert row.items == 1


def test_the_api_scores_and_finishes(filed, office_inspector, coordinator, as_user) -> None:  # type: ignore[no-untyped-def]
    application, item = filed
    standard = _standard(item)
    pk = application.pk

    def send(client: Any, method: str, url: str, data: Any = None) -> Any:
        return client.generic(method, url, json.dumps(data or {}), content_type="application/json")

    assessor = as_user(office_inspector)
    detail = send(assessor, "GET", f"{API}/{pk}/field-round").json()
    assert detail["campaign_id"] is None and detail["unit_id"] == application.unit_id
    r = send(assessor, "POST", f"{API}/{pk}/field-round/scores", {"code": standard.code})
    assert r.status_code == 422 and "请填写" in r.json()["detail"]
    r = send(
        assessor,
        "POST",
        f"{API}/{pk}/field-round/scores",
        {"standard_id": standard.pk, "points": str(standard.points)},
    )
    assert r.status_code == 200 and r.json()["code"] == standard.code
    scores = send(assessor, "GET", f"{API}/{pk}/field-round/scores").json()
    assert [s["standard_id"] for s in scores] == [standard.pk]
    unit = as_user(coordinator)
    assert send(unit, "GET", f"{API}/{pk}/field-round").status_code == 403
    assert send(unit, "POST", f"{API}/{pk}/field-round/finish").status_code == 403
    r = send(assessor, "POST", f"{API}/{pk}/field-round/finish")
    assert r.status_code == 200 and r.json()["status"] == "finished"
    assert r.json()["totals"]["total"] == f"{standard.points:.2f}"


def test_without_a_platform_round_the_api_says_so(application, office_admin, as_user) -> None:  # type: ignore[no-untyped-def]
    r = as_user(office_admin).get(f"{API}/{application.pk}/field-round")
    assert r.status_code == 404 and "没有在平台上安排实地测评打分" in r.json()["detail"]
    with pytest.raises(Http404):
        access.get_field_round_for_user(office_admin, 0)
