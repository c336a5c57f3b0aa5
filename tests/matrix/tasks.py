"""Task decomposition routes (R4) in the permission matrix.

Reading follows the campaign (the unit and the office above); defining, assigning, deciding
claims and marking standards not applicable take the unit's 创建办 (the office admin reads
only: 403); progress takes the lead department's people too; claiming takes a department head.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, no_args, unit_read, unit_work


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from wenming.campaigns.models import Campaign
    from wenming.tasks.coverage import standards_needing_tasks
    from wenming.tasks.models import Occurrence, StandardExclusion, Task, TaskClaim

    # Another app's targets may already have given the unit its one active campaign.
    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    standards = list(standards_needing_tasks(campaign).order_by("position")[:3])
    task = Task.objects.create(
        campaign=campaign,
        title="开展道德讲堂活动",
        lead_department=base["food"],
        start_date=datetime.date(2026, 4, 1),
        deadline=datetime.date(2026, 12, 31),
    )
    task.standards.set([standards[0]])
    occurrence = Occurrence.objects.create(task=task, sequence=1, due=datetime.date(2026, 6, 30))
    offered = Task.objects.create(
        campaign=campaign, title="志愿服务常态化", deadline=datetime.date(2026, 12, 31)
    )
    deleted = Task.objects.create(
        campaign=campaign, title="已删除的任务", deleted_at=timezone.now()
    )
    claim = TaskClaim.objects.create(
        task=offered, department=base["food"], claimed_by=User.objects.get(username="keshi")
    )
    StandardExclusion.objects.create(campaign=campaign, standard=standards[2], reason="不涉及")
    waived = Task.objects.create(
        campaign=campaign,
        title="干部职工知晓率测评",
        lead_department=base["food"],
        waived=True,
        waiver_reason="由市文明办统一组织问卷测评",
    )
    return {
        "campaign": campaign,
        "task": task,
        "occurrence": occurrence,
        "offered_task": offered,
        "deleted_task": deleted,
        "claim": claim,
        "waived_task": waived,
        "free_standard": standards[1],
        "excluded_standard": standards[2],
    }


def _campaign(t: dict[str, Any]) -> list[Any]:
    return [t["campaign"].pk]


def _task(t: dict[str, Any]) -> list[Any]:
    return [t["task"].pk]


# Progress: the 创建办 and the lead department's people (食品安全监管科: keshi, jingban).
PROGRESS = expect(403, outsider_admin=404, coordinator=302)
PROGRESS.update(dept_head=302, staff=302)
API_PROGRESS = expect(403, anonymous=401, outsider_admin=404, coordinator=200)
API_PROGRESS.update(dept_head=200, staff=200)

ROUTES: dict[str, Route] = {
    # Screens
    "tasks:table": Route("GET", _campaign, unit_read()),
    "tasks:generate": Route("POST", _campaign, unit_work(302)),
    "tasks:create": Route("GET", _campaign, unit_work(200)),
    "tasks:edit": Route("GET", _task, unit_work(200)),
    "tasks:delete": Route("POST", _task, unit_work(302)),
    "tasks:restore": Route("POST", lambda t: [t["deleted_task"].pk], unit_work(302)),
    "tasks:recycle": Route("GET", _campaign, unit_work(200)),
    "tasks:detail": Route("GET", _task, unit_read()),
    "tasks:progress": Route("POST", _task, PROGRESS, data=lambda t: {"progress": 50}),
    # 免予佐证 and its undoing: the unit's 创建办.
    "tasks:waive": Route("POST", _task, unit_work(302), data=lambda t: {"reason": "统一测评"}),
    "tasks:unwaive": Route("POST", lambda t: [t["waived_task"].pk], unit_work(302)),
    "tasks:occurrence_record": Route(
        "POST",
        lambda t: [t["occurrence"].pk],
        PROGRESS,
        data=lambda t: {"done_at": "2026-06-28", "note": "第一期道德讲堂"},
    ),
    "tasks:mine": Route("GET", no_args, expect(200)),
    "tasks:board": Route("GET", lambda t: [t["food"].pk], unit_read()),
    "tasks:offered": Route("GET", no_args, expect(200)),
    # Only a department head claims, in the name of the department they head.
    "tasks:claim": Route(
        "POST",
        lambda t: [t["offered_task"].pk],
        expect(403, outsider_admin=404, dept_head=302),
        data=lambda t: {"department": t["food"].pk},
    ),
    # Every manager has an inbox (an office admin's is empty: claims are the 创建办's to
    # decide); the unit's people do not.
    "tasks:claims": Route(
        "GET", no_args, expect(403, coordinator=200, office_admin=200, outsider_admin=200)
    ),
    "tasks:claim_approve": Route("POST", lambda t: [t["claim"].pk], unit_work(302)),
    "tasks:claim_reject": Route("POST", lambda t: [t["claim"].pk], unit_work(302)),
    "tasks:reassign": Route(
        "POST",
        _task,
        unit_work(302),
        data=lambda t: {"department": t["registry"].pk, "reason": "职责调整"},
    ),
    "tasks:coverage": Route("GET", _campaign, unit_read()),
    "tasks:exclude": Route(
        "POST",
        _campaign,
        unit_work(302),
        data=lambda t: {"standard": t["free_standard"].pk, "reason": "本单位不涉及"},
    ),
    "tasks:include": Route(
        "POST", lambda t: [t["campaign"].pk, t["excluded_standard"].pk], unit_work(302)
    ),
    "tasks:timeline": Route("GET", _campaign, unit_read()),
    # API
    "api:task_list": Route(
        "GET", no_args, expect(200, anonymous=401), query="?campaign={campaign}"
    ),
    "api:task_detail": Route("GET", _task, unit_read(anonymous=401)),
    "api:task_update": Route(
        "PATCH", _task, unit_work(200, anonymous=401), data=lambda t: {"requirement": "每月一期"}
    ),
    "api:task_delete": Route("DELETE", _task, unit_work(200, anonymous=401)),
    "api:task_restore": Route(
        "POST", lambda t: [t["deleted_task"].pk], unit_work(200, anonymous=401)
    ),
    "api:task_reassign": Route(
        "POST",
        _task,
        unit_work(200, anonymous=401),
        data=lambda t: {"department_id": t["registry"].pk, "reason": "职责调整"},
    ),
    "api:occurrence_list": Route("GET", _task, unit_read(anonymous=401)),
    "api:occurrence_record": Route(
        "POST", lambda t: [t["occurrence"].pk], API_PROGRESS, data=lambda t: {"note": "第一期"}
    ),
    # Every office admin has an inbox (another city's is empty); the unit's people do not.
    "api:claim_list": Route(
        "GET",
        no_args,
        expect(403, anonymous=401, coordinator=200, office_admin=200, outsider_admin=200),
    ),
    "api:standard_exclude": Route(
        "POST",
        no_args,
        unit_work(201, anonymous=401),
        data=lambda t: {
            "campaign_id": t["campaign"].pk,
            "standard_id": t["free_standard"].pk,
            "reason": "本单位不涉及",
        },
    ),
    "api:standard_include": Route(
        "POST",
        no_args,
        unit_work(200, anonymous=401),
        query="?campaign={campaign}&standard={excluded_standard}",
    ),
    "api:task_create": Route(
        "POST",
        no_args,
        unit_work(201, anonymous=401),
        data=lambda t: {"campaign_id": t["campaign"].pk, "title": "新建的任务"},
    ),
    "api:task_progress": Route("POST", _task, API_PROGRESS, data=lambda t: {"progress": 50}),
    "api:task_waive": Route(
        "POST", _task, unit_work(200, anonymous=401), data=lambda t: {"reason": "统一测评"}
    ),
    "api:task_unwaive": Route(
        "DELETE", lambda t: [t["waived_task"].pk], unit_work(200, anonymous=401)
    ),
    "api:task_claim": Route(
        "POST",
        lambda t: [t["offered_task"].pk],
        # keshi already claimed it for 食品安全监管科: told so (422), not refused.
        expect(403, anonymous=401, outsider_admin=404, dept_head=422),
        data=lambda t: {"department_id": t["food"].pk},
    ),
    "api:claim_approve": Route("POST", lambda t: [t["claim"].pk], unit_work(200, anonymous=401)),
    "api:claim_reject": Route("POST", lambda t: [t["claim"].pk], unit_work(200, anonymous=401)),
    "api:tasks_generate": Route(
        "POST", no_args, unit_work(200, anonymous=401), query="?campaign={campaign}"
    ),
}
