"""The 挂账销号 lifecycle and its refusals, through the services."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from tests.ledger.conftest import docx, upload
from tests.oversight.conftest import TODAY, photo
from wenming.oversight import services
from wenming.oversight.models import (
    EventAction,
    Problem,
    ProblemFile,
    ProblemStatus,
)

pytestmark = pytest.mark.django_db


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return "；".join(exc.value.messages)


def test_recording_a_problem_numbers_it_stores_its_photo_and_traces_it(problem, demo):
    assert problem.number == "DC-2026-001"
    assert problem.status == ProblemStatus.PENDING
    files = list(problem.files.all())
    assert len(files) == 1
    f = files[0]
    assert f.purpose == "problem" and f.kind == "photo" and f.content_type == "image/jpeg"
    # Stored under our own name, never the user's.
    assert "现场" not in f.file.name and f.file.name.startswith(f"oversight/{demo['unit'].pk}/")
    assert default_storage.exists(f.file.name)
    assert list(problem.events.values_list("action", "to_status")) == [
        (EventAction.CREATED, ProblemStatus.PENDING)
    ]


def test_numbers_run_per_unit_and_year(make_problem):
    make_problem()
    second = make_problem(description="第二个问题")
    assert second.number == "DC-2026-002"


def test_problem_can_be_recorded_alone(make_problem):
    p = make_problem(inspection=None, deadline=TODAY)
    assert p.inspection is None


def test_deadline_before_the_inspection_is_refused(make_problem):
    with pytest.raises(ValidationError) as exc:
        make_problem(deadline=datetime.date(2026, 5, 17))
    assert "整改时限不能早于督查日期" in _messages(exc)
    assert not Problem.objects.exists()


def test_department_must_be_of_the_unit(make_problem, demo):
    with pytest.raises(ValidationError) as exc:
        make_problem(department=demo["unit"])
    assert "请选择本单位的一个部门" in _messages(exc)
    other = demo["other_unit"].children.first()
    with pytest.raises(ValidationError):
        make_problem(department=other)


def test_standard_must_be_a_leaf_of_the_campaigns_system(make_problem, campaign):
    from wenming.frameworks.models import Node

    branch = Node.objects.filter(framework=campaign.framework, is_leaf=False).first()
    with pytest.raises(ValidationError) as exc:
        make_problem(standard=branch)
    assert "不是本次创建所用测评体系中的测评标准" in _messages(exc)
    leaf = Node.objects.filter(framework=campaign.framework, is_leaf=True).first()
    assert make_problem(standard=leaf).standard == leaf


def test_problem_photos_must_be_photos_and_nothing_is_stored_when_refused(make_problem, settings):
    with pytest.raises(ValidationError) as exc:
        make_problem(uploads=[photo(), upload("说明.docx", docx())])
    assert "不是照片" in _messages(exc)
    assert not Problem.objects.exists()
    media = settings.MEDIA_ROOT
    assert not os.path.exists(media) or not any(files for _, _, files in os.walk(media))


def test_files_are_removed_when_the_transaction_fails(make_problem, settings, monkeypatch):
    def boom(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.ProblemEvent.objects, "create", boom)
    with pytest.raises(RuntimeError):
        make_problem()
    assert not Problem.objects.exists()
    assert not any(files for _, _, files in os.walk(settings.MEDIA_ROOT))


def test_full_lifecycle_pending_to_closed(problem, dept_head, inspector):
    services.problem_start(problem=problem, user=dept_head)
    assert problem.status == ProblemStatus.RECTIFYING
    services.problem_submit(
        problem=problem, user=dept_head, note="已清理", uploads=[photo("后.jpg", 2)]
    )
    assert problem.status == ProblemStatus.AWAITING
    assert problem.rectified_by == dept_head
    services.problem_verify(problem=problem, user=inspector, comment="复查到位")
    assert problem.status == ProblemStatus.CLOSED
    assert problem.verified_by == inspector and problem.closed_at is not None
    trail = list(problem.events.values_list("action", "from_status", "to_status"))
    assert trail == [
        ("created", "", "pending"),
        ("started", "pending", "rectifying"),
        ("submitted", "rectifying", "awaiting"),
        ("verified", "awaiting", "closed"),
    ]


def test_submit_needs_a_note(problem, dept_head):
    with pytest.raises(ValidationError) as exc:
        services.problem_submit(problem=problem, user=dept_head, note=" ", uploads=[photo()])
    assert "请填写整改情况" in _messages(exc)


def test_submit_without_evidence_is_refused(problem, dept_head):
    with pytest.raises(ValidationError) as exc:
        services.problem_submit(problem=problem, user=dept_head, note="已整改")
    assert "没有整改佐证材料，不能提交验收" in _messages(exc)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.PENDING


def test_submit_with_a_linked_ledger_item_is_enough(problem, dept_head, campaign, demo):
    from wenming.ledger.models import EvidenceItem

    item = EvidenceItem.objects.create(
        campaign=campaign, unit=demo["unit"], department=demo["food"], year=2026, title="整改台账"
    )
    services.problem_submit(problem=problem, user=dept_head, note="见台账", evidence_items=[item])
    assert problem.status == ProblemStatus.AWAITING
    assert list(problem.evidence_items.all()) == [item]


def test_closing_without_rectification_evidence_is_refused(problem, inspector):
    # A problem marked awaiting by hand, with no proof at all: it cannot be closed.
    Problem.objects.filter(pk=problem.pk).update(status=ProblemStatus.AWAITING)
    problem.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.problem_verify(problem=problem, user=inspector)
    assert "没有整改佐证材料，不能验收销号" in _messages(exc)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.AWAITING


def test_the_responsible_department_cannot_verify_its_own_problem(awaiting, staff, dept_head):
    for person in (staff, dept_head):
        with pytest.raises(ValidationError) as exc:
            services.problem_verify(problem=awaiting, user=person)
        assert "整改责任部门不能验收本部门的问题" in _messages(exc)


def test_whoever_submitted_cannot_verify(problem, coordinator):
    services.problem_submit(problem=problem, user=coordinator, note="代为整改", uploads=[photo()])
    with pytest.raises(ValidationError) as exc:
        services.problem_verify(problem=problem, user=coordinator)
    assert "整改责任部门不能验收本部门的问题" in _messages(exc)


def test_verifying_a_problem_not_awaiting_is_refused(problem, inspector):
    with pytest.raises(ValidationError) as exc:
        services.problem_verify(problem=problem, user=inspector)
    assert "尚未提交整改材料" in _messages(exc)
    assert "待整改" in _messages(exc)


def test_return_needs_a_reason_and_goes_back_to_rectifying(awaiting, inspector):
    with pytest.raises(ValidationError) as exc:
        services.problem_return(problem=awaiting, user=inspector, reason="")
    assert "请写明验收未通过的原因" in _messages(exc)
    services.problem_return(problem=awaiting, user=inspector, reason="照片看不清")
    assert awaiting.status == ProblemStatus.RECTIFYING
    assert awaiting.return_reason == "照片看不清" and awaiting.return_count == 1
    event = awaiting.events.last()
    assert (event.action, event.from_status, event.to_status, event.comment) == (
        "returned",
        "awaiting",
        "rectifying",
        "照片看不清",
    )


def test_resubmitting_after_a_return_keeps_the_earlier_proof(awaiting, inspector, dept_head):
    services.problem_return(problem=awaiting, user=inspector, reason="补充说明")
    services.problem_submit(problem=awaiting, user=dept_head, note="已补充说明")
    assert awaiting.status == ProblemStatus.AWAITING


def test_two_verifiers_at_once_the_second_is_told(awaiting, inspector, coordinator):
    stale = Problem.objects.get(pk=awaiting.pk)
    services.problem_verify(problem=awaiting, user=inspector)
    assert stale.status == ProblemStatus.AWAITING  # what the second verifier still sees
    with pytest.raises(ValidationError) as exc:
        services.problem_verify(problem=stale, user=coordinator)
    assert _messages(exc) == "该问题已被处理（当前状态：已销号），请刷新页面。"
    with pytest.raises(ValidationError) as exc:
        services.problem_return(problem=stale, user=coordinator, reason="不合格")
    assert "该问题已被处理（当前状态：已销号）" in _messages(exc)
    assert awaiting.events.filter(action="verified").count() == 1


def test_reassign_needs_a_reason_and_is_traced(problem, coordinator, demo):
    with pytest.raises(ValidationError):
        services.problem_reassign(problem=problem, user=coordinator, reason="", department=None)
    services.problem_reassign(
        problem=problem,
        user=coordinator,
        reason="职责调整",
        department=demo["registry"],
        deadline=datetime.date(2026, 6, 10),
    )
    assert problem.department == demo["registry"]
    assert problem.deadline == datetime.date(2026, 6, 10)
    assert "职责调整" in problem.events.last().comment


def test_remove_is_soft_and_traced(problem, coordinator):
    services.problem_remove(problem=problem, user=coordinator, reason="重复记录")
    kept = Problem.objects.get(pk=problem.pk)
    assert kept.removed_at is not None and kept.removed_by == coordinator
    assert ProblemFile.objects.filter(problem=kept).exists()
    assert kept.events.last().action == "removed"


def test_overdue_counts_days_past_the_deadline_until_closed(make_problem):
    p = make_problem(deadline=datetime.date(2026, 5, 18))
    assert p.is_overdue(TODAY) and p.days_overdue(TODAY) == 2
    assert Problem.objects.filter(services.overdue_q(TODAY)).count() == 1
    on_time = make_problem(deadline=TODAY)
    assert not on_time.is_overdue(TODAY)
    Problem.objects.filter(pk=p.pk).update(status="closed", closed_at=on_time.created_at)
    p.refresh_from_db()
    assert p.days_overdue(TODAY) == 0
    assert not Problem.objects.filter(services.overdue_q(TODAY)).exists()


def test_inspection_needs_title_and_a_date_not_in_the_future(campaign, inspector):
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(
            campaign=campaign,
            user=inspector,
            kind="routine",
            title="",
            inspected_on=TODAY + datetime.timedelta(days=1),
        )
    assert "请填写督查名称" in _messages(exc) and "督查日期不能晚于今天" in _messages(exc)


def test_submitted_by_the_deadline_is_not_overdue_while_awaiting_verification(make_problem):
    late = make_problem(deadline=datetime.date(2026, 5, 18))
    early = make_problem(deadline=datetime.date(2026, 5, 18))
    at = datetime.datetime(2026, 5, 17, 16, 0, tzinfo=datetime.UTC)
    after = datetime.datetime(2026, 5, 19, 9, 0, tzinfo=datetime.UTC)
    Problem.objects.filter(pk=early.pk).update(status="awaiting", rectified_at=at)
    Problem.objects.filter(pk=late.pk).update(status="awaiting", rectified_at=after)
    early.refresh_from_db()
    late.refresh_from_db()
    assert not early.is_overdue(TODAY) and late.days_overdue(TODAY) == 2
    assert list(Problem.objects.filter(services.overdue_q(TODAY))) == [late]
