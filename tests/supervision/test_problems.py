"""The office's inspections and dispatched problems: each rule of `wenming.supervision.problems`
and each refusal (a unit outside the registry, a deadline before the inspection, a stale step,
no campaign to assign into, a report while the unit's own problem is open), the numbering, the
timeline, the files, `queue_counts` and the trace."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.supervision.conftest import D, pdf_upload, photo_upload, travel
from wenming.campaigns.models import CampaignStatus
from wenming.oversight import services as oversight
from wenming.oversight.models import ProblemStatus
from wenming.supervision import problems
from wenming.supervision.models import (
    CityProblem,
    CityProblemAction,
    CityProblemFile,
    CityProblemStatus,
    overdue_q,
)
from wenming.trace.models import Change

pytestmark = pytest.mark.usefixtures("fixed_today")


INSPECTED_ON = D(2026, 6, 10)


def inspect(demo: Any, admin: Any, unit: Any = None, day: Any = INSPECTED_ON) -> Any:
    return problems.inspection_create(
        office=demo["office"],
        user=admin,
        unit=unit or demo["unit"],
        kind="covert",
        inspected_on=day,
        inspectors="张伟、李娜",
        place="办事大厅",
    )


def dispatch(inspection: Any, admin: Any, **kw: Any) -> CityProblem:
    fields = {"description": "大厅公益广告破损", "deadline": D(2026, 6, 30), **kw}
    return problems.problem_dispatch(inspection=inspection, user=admin, **fields)


@pytest.fixture
def inspection(registered, demo, office_admin):  # type: ignore[no-untyped-def]
    return inspect(demo, office_admin)


@pytest.fixture
def problem(inspection, office_admin):  # type: ignore[no-untyped-def]
    return dispatch(inspection, office_admin, uploads=[photo_upload()])


def _errors(exc: Any) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- inspections and dispatch ------------------------------------------------------------------


def test_an_inspection_is_only_of_a_unit_in_the_registry(registered, demo, office_admin):
    with pytest.raises(ValidationError) as exc:
        inspect(demo, office_admin, unit=demo["other_unit"])
    assert _errors(exc)["unit"][0].startswith("该单位不在本文明办的文明单位名录中")
    with pytest.raises(ValidationError) as exc:
        inspect(demo, office_admin, day=D(2026, 7, 1))
    assert _errors(exc)["inspected_on"] == ["督查日期不能晚于今天。"]
    found = inspect(demo, office_admin, unit=demo["court"])
    assert found.office == demo["office"] and found.get_kind_display() == "暗访"


def test_a_removed_registry_entry_is_no_longer_supervised(registered, demo, office_admin):
    from django.utils import timezone

    registered[1].removed_at = timezone.now()
    registered[1].save(update_fields=["removed_at"])
    with pytest.raises(ValidationError):
        inspect(demo, office_admin, unit=demo["court"])


def test_dispatch_numbers_per_office_and_year_with_photos(inspection, office_admin):
    first = dispatch(inspection, office_admin, uploads=[photo_upload()])
    second = dispatch(inspection, office_admin, severity="grave", place="二楼")
    assert (first.number, second.number) == ("SD-2026-001", "SD-2026-002")
    assert first.unit == inspection.unit and first.status == CityProblemStatus.DISPATCHED
    photo = CityProblemFile.objects.get(problem=first)
    assert photo.purpose == "problem" and photo.original_name == "现场.jpg"
    event = first.events.get()
    assert event.action == CityProblemAction.DISPATCHED and event.actor == office_admin


def test_dispatch_refuses_a_deadline_before_the_inspection_and_non_photos(inspection, office_admin):
    with pytest.raises(ValidationError) as exc:
        dispatch(inspection, office_admin, deadline=D(2026, 6, 9), description=" ")
    errors = _errors(exc)
    assert errors["deadline"] == ["整改时限不能早于督查日期（2026年06月10日），请重新选择。"]
    assert "description" in errors
    with pytest.raises(ValidationError) as exc:
        dispatch(inspection, office_admin, uploads=[pdf_upload()])
    assert "不是照片" in _errors(exc)["files"][0]
    with pytest.raises(ValidationError):
        dispatch(inspection, office_admin, severity="huge")
    assert not CityProblem.objects.exists() and not CityProblemFile.objects.exists()


# --- the unit answers --------------------------------------------------------------------------


def test_assign_needs_a_live_campaign(problem, coordinator, demo):
    with pytest.raises(ValidationError) as exc:
        problems.problem_assign(problem=problem, user=coordinator, department=demo["food"])
    assert "没有进行中的创建工作" in exc.value.messages[0]
    assert "直接填写整改情况" in exc.value.messages[0]


def test_assign_refuses_a_closed_campaign(problem, coordinator, demo, campaign):
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        problems.problem_assign(problem=problem, user=coordinator, department=demo["food"])


def test_assign_books_the_unit_problem_and_submit_waits_for_it(
    problem, coordinator, office_admin, demo, campaign, dept_head
):
    with pytest.raises(ValidationError) as exc:
        problems.problem_assign(
            problem=problem, user=coordinator, department=demo["food"], deadline=D(2026, 7, 1)
        )
    assert "不能晚于文明办的整改时限" in _errors(exc)["deadline"][0]
    with pytest.raises(ValidationError) as exc:
        problems.problem_assign(problem=problem, user=coordinator, department=demo["other_unit"])
    assert "department" in _errors(exc)
    problems.problem_assign(
        problem=problem, user=coordinator, department=demo["food"], deadline=D(2026, 6, 25)
    )
    problem.refresh_from_db()
    linked = problem.unit_problem
    assert problem.status == CityProblemStatus.ASSIGNED and linked is not None
    assert linked.campaign == campaign and linked.department == demo["food"]
    assert linked.deadline == D(2026, 6, 25) and "SD-2026-001" in linked.description
    with pytest.raises(ValidationError) as exc:
        problems.problem_assign(problem=problem, user=coordinator, department=demo["food"])
    assert "单位整改中" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        problems.problem_submit(problem=problem, user=coordinator, note="已整改")
    assert f"（{linked.number}，当前状态：待整改）" in exc.value.messages[0]
    assert "销号" in exc.value.messages[0]
    oversight.problem_submit(
        problem=linked, user=dept_head, note="已更换", uploads=[photo_upload()]
    )
    oversight.problem_verify(problem=linked, user=coordinator)
    linked.refresh_from_db()
    assert linked.status == ProblemStatus.CLOSED
    problems.problem_submit(problem=problem, user=coordinator, note="本单位已整改销号")
    problem.refresh_from_db()
    assert problem.status == CityProblemStatus.AWAITING


def test_submit_directly_with_files_then_verify(problem, coordinator, office_admin):
    with pytest.raises(ValidationError) as exc:
        problems.problem_submit(problem=problem, user=coordinator, note="  ")
    assert "note" in _errors(exc)
    problems.problem_submit(
        problem=problem,
        user=coordinator,
        note="已更换公益广告",
        uploads=[photo_upload("整改后.jpg"), pdf_upload()],
    )
    problem.refresh_from_db()
    assert problem.status == CityProblemStatus.AWAITING
    assert problem.rectified_by == coordinator and problem.rectified_at is not None
    assert problem.files.filter(purpose="rectification").count() == 2
    with pytest.raises(ValidationError) as exc:
        problems.problem_submit(problem=problem, user=coordinator, note="再报一次")
    assert "待文明办验收" in exc.value.messages[0]
    problems.problem_verify(problem=problem, user=office_admin, comment="整改到位")
    problem.refresh_from_db()
    assert problem.status == CityProblemStatus.CLOSED
    assert problem.verified_by == office_admin and problem.closed_at is not None
    assert [e.action for e in problem.events.order_by("at", "id")] == [
        "dispatched",
        "submitted",
        "verified",
    ]
    with pytest.raises(ValidationError) as exc:
        problems.problem_verify(problem=problem, user=office_admin)
    assert "已销号" in exc.value.messages[0] and "刷新" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        problems.problem_remove(problem=problem, user=office_admin, reason="重复")
    assert exc.value.messages == ["该问题已验收销号，不能撤回。"]


def test_return_sends_it_back_with_the_reason(problem, coordinator, office_admin):
    with pytest.raises(ValidationError):
        problems.problem_return(problem=problem, user=office_admin, reason="没整改")
    problems.problem_submit(problem=problem, user=coordinator, note="已整改")
    with pytest.raises(ValidationError) as exc:
        problems.problem_return(problem=problem, user=office_admin, reason="")
    assert "reason" in _errors(exc)
    problems.problem_return(problem=problem, user=office_admin, reason="照片看不出整改效果")
    problem.refresh_from_db()
    assert problem.status == CityProblemStatus.DISPATCHED
    assert problem.return_count == 1 and problem.return_reason == "照片看不出整改效果"
    problems.problem_submit(problem=problem, user=coordinator, note="补充照片")
    problem.refresh_from_db()
    assert problem.status == CityProblemStatus.AWAITING


def test_a_stale_step_is_refused(problem, coordinator, office_admin):
    stale = CityProblem.objects.get(pk=problem.pk)
    problems.problem_submit(problem=problem, user=coordinator, note="已整改")
    problems.problem_verify(problem=problem, user=office_admin)
    with pytest.raises(ValidationError) as exc:
        problems.problem_return(problem=stale, user=office_admin, reason="不行")
    assert "当前为“已销号”" in exc.value.messages[0]


def test_remove_withdraws_without_closing(problem, coordinator, office_admin):
    with pytest.raises(ValidationError):
        problems.problem_remove(problem=problem, user=office_admin, reason=" ")
    problems.problem_remove(problem=problem, user=office_admin, reason="重复交办")
    problem.refresh_from_db()
    assert problem.removed_at is not None and problem.status == CityProblemStatus.DISPATCHED
    assert problem.events.filter(action="removed", comment="重复交办").exists()
    with pytest.raises(ValidationError) as exc:
        problems.problem_submit(problem=problem, user=coordinator, note="已整改")
    assert exc.value.messages == ["该问题已被文明办撤回，请刷新页面。"]


# --- overdue, queues, trace --------------------------------------------------------------------


def test_overdue_follows_days_overdue(inspection, office_admin, coordinator):
    late = dispatch(inspection, office_admin, deadline=D(2026, 6, 12))
    in_time = dispatch(inspection, office_admin, deadline=D(2026, 6, 12))
    dispatch(inspection, office_admin, deadline=D(2026, 6, 20))
    with travel(D(2026, 6, 11)):
        problems.problem_submit(problem=in_time, user=coordinator, note="按时整改")
    overdue = CityProblem.objects.filter(overdue_q(D(2026, 6, 15)))
    assert list(overdue) == [late]
    in_time.refresh_from_db()
    assert late.days_overdue(D(2026, 6, 15)) == 3 and in_time.days_overdue(D(2026, 6, 15)) == 0
    assert problems.queue_counts(office_admin) == {"awaiting": 1, "overdue": 1, "open": 3}
    assert problems.queue_counts(coordinator) == {"to_answer": 2}


def test_queue_counts_by_role(
    problem, office_admin, coordinator, leader, staff, outsider_admin, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert problems.queue_counts(office_admin) == {"awaiting": 0, "overdue": 0, "open": 1}
    with django_assert_max_num_queries(3):
        assert problems.queue_counts(coordinator) == {"to_answer": 1}
    assert problems.queue_counts(leader) == {}
    assert problems.queue_counts(staff) == {}
    assert problems.queue_counts(outsider_admin) == {"awaiting": 0, "overdue": 0, "open": 0}


def test_the_trace_records_the_steps(problem, coordinator):
    problems.problem_submit(problem=problem, user=coordinator, note="已整改")
    kinds = set(Change.objects.values_list("kind", flat=True))
    assert {"city_inspection", "city_problem"} <= kinds
