"""People in the assessment (个人评优资格) and commendations (表彰奖励).

Today is 2026-05-20 (tests/oversight/conftest.py). `dept_head` (张明) and `staff` (陈晓燕)
are 食品安全监管科; `other_dept_head` (孙伟) is 登记注册科. The rule's limit is 2.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tests.oversight.test_assessment import YEAR, at, d, evidence, problem, task
from wenming.oversight.assessment import people, services
from wenming.oversight.models import Accountability, Commendation

TODAY = datetime.date(2026, 5, 20)


def subtask(t: Any, person: Any, deadline: str | None, completed: str | None = None) -> Any:
    from wenming.tasks.models import SubTask, TaskStatus

    return SubTask.objects.create(
        task=t,
        department=t.lead_department,
        assignee=person,
        title="子任务",
        deadline=d(deadline) if deadline else None,
        status=TaskStatus.DONE if completed else TaskStatus.IN_PROGRESS,
        progress=100 if completed else 20,
        completed_at=at(d(completed)) if completed else None,
    )


def returned(item: Any, day: str) -> None:
    from wenming.ledger.models import EventKind, EvidenceEvent

    event = EvidenceEvent.objects.create(item=item, kind=EventKind.RETURNED, comment="照片不清")
    EvidenceEvent.objects.filter(pk=event.pk).update(at=at(d(day)))


def by_user(campaign: Any) -> dict[Any, people.PersonScore]:
    return {p.user: p for p in people.assess_people(campaign, YEAR, today=TODAY)}


def test_on_time_work_keeps_eligibility_and_late_work_over_the_limit_loses_it(
    campaign, demo, staff, dept_head
):  # type: ignore[no-untyped-def]
    food = demo["food"]
    t = task(campaign, food, "2026-06-30")
    subtask(t, staff, "2026-04-30", completed="2026-04-29")
    subtask(t, staff, None, completed="2026-05-01")  # due with its task: on time
    subtask(t, dept_head, "2026-05-01")
    subtask(t, dept_head, "2026-05-02", completed="2026-05-05")
    subtask(t, dept_head, "2026-05-03")
    subtask(t, dept_head, "2026-06-30")  # not due: not counted
    found = by_user(campaign)
    assert (found[staff].tasks.counted, found[staff].tasks.good) == (2, 2)
    assert found[staff].eligible
    head = found[dept_head]
    assert (head.tasks.counted, head.late) == (3, 3)
    assert head.reasons == ["未按时完成任务3项，超过上限2项"]
    # A task the person is responsible for counts too.
    led = task(campaign, food, "2026-05-05")
    led.responsible = staff
    led.save(update_fields=["responsible"])
    assert by_user(campaign)[staff].late == 1


def test_evidence_returned_over_the_limit(campaign, demo, staff):  # type: ignore[no-untyped-def]
    item = evidence(campaign, demo["food"], "returned", returns=3)
    item.created_by = staff
    item.save(update_fields=["created_by"])
    for day in ("2026-02-01", "2026-03-01", "2026-04-01"):
        returned(item, day)
    returned(item, "2025-12-01")  # another year
    person = by_user(campaign)[staff]
    assert person.returns == 3
    assert person.reasons == ["台账被退回3次，超过上限2次"]


def test_overdue_problems_belong_to_who_took_them_on_else_the_head(
    campaign, demo, staff, dept_head
):  # type: ignore[no-untyped-def]
    from wenming.oversight.models import EventAction, ProblemEvent, ProblemStatus

    food = demo["food"]
    taken = [problem(campaign, food, "2026-05-01") for _ in range(3)]
    for p in taken:
        p.status = ProblemStatus.RECTIFYING
        p.save(update_fields=["status"])
        ProblemEvent.objects.create(problem=p, action=EventAction.STARTED, actor=staff)
    problem(campaign, food, "2026-05-02")  # nobody took it on: the head's
    problem(campaign, food, "2026-06-30")  # not overdue
    found = by_user(campaign)
    assert found[staff].overdue_problems == 3
    assert found[staff].reasons == ["逾期未整改问题3个，超过上限2个"]
    assert found[dept_head].overdue_problems == 1 and found[dept_head].eligible


def test_an_accountability_record_against_a_person(campaign, demo, staff, coordinator):  # type: ignore[no-untyped-def]
    services.accountability_record(
        campaign=campaign,
        department=demo["food"],
        user=coordinator,
        decided_on=datetime.date(2026, 5, 12),
        reason="台账弄虚作假",
        person_user=staff,
        measure="通报批评",
    )
    person = by_user(campaign)[staff]
    assert person.reasons == ["有追责记录（2026-05-12 通报批评）"]
    record = Accountability.objects.get(person_user=staff)
    assert record.person == staff.get_full_name()  # the name is kept beside the account


def test_accountability_person_must_belong_to_the_department(
    campaign, demo, staff, coordinator, as_user
):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        services.accountability_record(
            campaign=campaign,
            department=demo["registry"],
            user=coordinator,
            decided_on=datetime.date(2026, 5, 12),
            reason="事由",
            person_user=staff,
        )
    assert "不是登记注册科的人员" in exc.value.message_dict["person_user"][0]
    client = as_user(coordinator)
    url = f"/api/v1/oversight/campaigns/{campaign.pk}/accountability"
    body = {
        "department": demo["registry"].pk,
        "decided_on": "2026-05-12",
        "reason": "事由",
        "person_user": staff.pk,
    }
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 422 and "person_user" in answer.json()["errors"]
    body["department"] = demo["food"].pk
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["person_user_id"] == staff.pk
    # The screen offers the unit's people and refuses one from elsewhere.
    page = client.post(
        reverse("oversight:accountability_new", args=[campaign.pk]),
        {**body, "department": demo["registry"].pk},
    )
    assert page.status_code == 400 and "不是登记注册科的人员" in page.content.decode()
    assert Accountability.objects.filter(person_user=staff).count() == 1


# --- commendations -------------------------------------------------------------------------


def test_commendation_bad_input_saves_nothing(campaign, demo, coordinator, as_user):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    outsider = User.objects.get(username="yl_admin")
    client = as_user(coordinator)
    url = f"/api/v1/oversight/campaigns/{campaign.pk}/commendations"
    good = {"decided_on": "2026-05-01", "title": "先进个人", "reason": "表现突出"}
    cases = [
        ({}, "department", "请选择受表彰的部门或人员"),
        ({"person": outsider.pk}, "person", "不是本单位部门的人员"),
        ({"department": demo["food"].pk, "reason": " "}, "reason", "请写明事迹或表彰理由"),
        ({"department": demo["food"].pk, "title": ""}, "title", "请填写表彰名称"),
        ({"department": demo["food"].pk, "decided_on": "2026-06-01"}, "decided_on", "不能晚于今天"),
    ]
    for change, field, words in cases:
        answer = client.post(url, {**good, **change}, content_type="application/json")
        assert answer.status_code == 422, change
        assert words in answer.json()["errors"][field][0], change
    page = client.post(reverse("oversight:commendation_new", args=[campaign.pk]), good)
    assert page.status_code == 400 and "请选择受表彰的部门或人员" in page.content.decode()
    assert not Commendation.objects.exists()


def test_commendation_create_show_and_withdraw(campaign, demo, coordinator, staff, as_user):  # type: ignore[no-untyped-def]
    client = as_user(coordinator)
    answer = client.post(
        reverse("oversight:commendation_new", args=[campaign.pk]),
        {"person": staff.pk, "decided_on": "2026-05-01", "title": "先进个人", "reason": "突出"},
    )
    assert answer.status_code == 302
    record = Commendation.objects.get()
    assert (record.person, record.department) == (staff, demo["food"])  # their department
    services.commendation_record(
        campaign=campaign,
        user=coordinator,
        department=demo["registry"],
        person=None,
        decided_on=datetime.date(2026, 5, 2),
        title="先进科室",
        reason="全部按时",
    )
    page = client.get(reverse("oversight:assessment", args=[campaign.pk])).content.decode()
    assert "先进个人" in page and "先进科室" in page
    assert by_user(campaign)[staff].commendations == [record]

    remove = reverse("oversight:commendation_remove", args=[record.pk])
    assert client.post(remove, {"reason": ""}).status_code == 400
    assert Commendation.objects.live().count() == 2
    assert client.post(remove, {"reason": "录入错误"}).status_code == 302
    record.refresh_from_db()
    assert record.removed_at is not None and "录入错误" in record.removed_reason
    assert Commendation.objects.count() == 2  # kept
    api = client.get(f"/api/v1/oversight/campaigns/{campaign.pk}/commendations").json()
    assert [c["title"] for c in api] == ["先进科室"]


# --- the page, the export, the queries -----------------------------------------------------


def test_person_page_and_export(campaign, demo, staff, coordinator, as_user):  # type: ignore[no-untyped-def]
    t = task(campaign, demo["food"], "2026-06-30")
    subtask(t, staff, "2026-05-01")
    services.commendation_record(
        campaign=campaign,
        user=coordinator,
        department=None,
        person=staff,
        decided_on=datetime.date(2026, 5, 1),
        title="先进个人",
        reason="突出",
    )
    client = as_user(staff)
    page = client.get(reverse("oversight:assessment", args=[campaign.pk])).content.decode()
    url = reverse("oversight:assessment_person", args=[campaign.pk, staff.pk])
    assert url in page and "个人评优资格" in page
    detail = client.get(url, {"year": YEAR})
    assert detail.status_code == 200 and "未按时" in detail.content.decode()
    outsider_url = reverse("oversight:assessment_person", args=[campaign.pk, 987654])
    assert client.get(outsider_url).status_code == 404

    export = client.get(reverse("oversight:assessment_export", args=[campaign.pk]))
    wb = load_workbook(io.BytesIO(export.content))
    assert wb.sheetnames[1:] == ["个人", "表彰奖励"]
    names = [row[0] for row in wb["个人"].iter_rows(min_row=4, values_only=True)]
    assert staff.get_full_name() in names
    honours = [row[3] for row in wb["表彰奖励"].iter_rows(min_row=4, values_only=True)]
    assert honours == ["先进个人"]
    first = [row[0] for row in wb.worksheets[0].iter_rows(min_row=4, values_only=True)]
    assert "不参与排名" in first


@pytest.mark.parametrize("extra", [0, 30])
def test_people_queries_are_bounded(
    extra, campaign, demo, coordinator, as_user, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    from wenming.orgs.models import Membership, Role

    t = task(campaign, demo["food"], "2026-06-30")
    for n in range(extra):
        person = User.objects.create_user(f"p{n}", first_name=f"人员{n}")
        Membership.objects.create(user=person, organization=demo["food"], role=Role.STAFF)
        subtask(t, person, "2026-05-01")
        item = evidence(campaign, demo["food"], "returned", returns=1)
        item.created_by = person
        item.save(update_fields=["created_by"])
        returned(item, "2026-04-01")
    client = as_user(coordinator)
    url = reverse("oversight:assessment", args=[campaign.pk])
    client.get(url)
    # The assessment, the people's, and each department's people side (9, fixed).
    with django_assert_max_num_queries(33):
        page = client.get(url)
    assert page.content.decode().count("/assessment/person/") >= extra
