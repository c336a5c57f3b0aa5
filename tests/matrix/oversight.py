"""Inspection and problem routes (督查整改, R7) in the permission matrix.

Problems are read like the ledger: the unit-wide roles and the office above see all, a
department its own (the target problems belong to 食品安全监管科: keshi, jingban).
Recording and verifying take the unit's 督查员 and 创建办 or the office admin above; the
responsible department's people never verify. Rectifying is the unit's work: the department's
people and the 创建办 (the office admin is refused, 403); reassigning and removing take the
创建办 and the office admin (supervision stays with the office). Posts without data answer allowed
personas with what is missing (400 on a screen, 422 from the API), so the matrix changes
nothing.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from tests.factories import make_campaign
from tests.matrix.base import Route, expect, unit_read

SAMPLE_NAME = "oversight/matrix/sample.jpg"


def _stored(name: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    if default_storage.exists(name):
        return name
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 40, 180)).save(buf, "JPEG")
    return default_storage.save(name, ContentFile(buf.getvalue()))


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.campaigns.models import Campaign
    from wenming.ledger.models import EvidenceItem
    from wenming.oversight.models import Inspection, Problem, ProblemFile, ProblemStatus

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    inspection = Inspection.objects.create(
        campaign=campaign,
        unit=base["unit"],
        title="日常督查",
        inspected_on=datetime.date(2026, 5, 18),
    )

    def problem(sequence: int, **extra: Any) -> Problem:
        return Problem.objects.create(
            inspection=inspection,
            campaign=campaign,
            unit=base["unit"],
            year=2026,
            sequence=900 + sequence,
            description="楼道堆放杂物",
            department=base["food"],
            deadline=datetime.date(2026, 12, 31),
            **extra,
        )

    pending = problem(1)
    awaiting = problem(
        2,
        status=ProblemStatus.AWAITING,
        rectification_note="已清理",
        rectified_by=User.objects.get(username="keshi"),
    )
    awaiting.evidence_items.add(
        EvidenceItem.objects.create(
            campaign=campaign, unit=base["unit"], department=base["food"], year=2026, title="整改"
        )
    )
    photo = ProblemFile.objects.create(
        problem=pending,
        unit=base["unit"],
        year=2026,
        purpose="problem",
        file=_stored(SAMPLE_NAME),
        original_name="现场.jpg",
        kind="photo",
        content_type="image/jpeg",
        extension="jpg",
        size=1000,
        sha256="0" * 64,
    )
    return {
        "ov_campaign": campaign,
        "ov_inspection": inspection,
        "ov_problem": pending,
        "ov_awaiting": awaiting,
        "ov_file": photo,
    }


def _campaign(t: dict[str, Any]) -> list[Any]:
    return [t["ov_campaign"].pk]


def _inspection(t: dict[str, Any]) -> list[Any]:
    return [t["ov_inspection"].pk]


def _problem(t: dict[str, Any]) -> list[Any]:
    return [t["ov_problem"].pk]


def _awaiting(t: dict[str, Any]) -> list[Any]:
    return [t["ov_awaiting"].pk]


def _no_args(t: dict[str, Any]) -> list[Any]:
    return []


RECORDERS = ("inspector", "coordinator", "office_admin")
RECTIFIERS = ("staff", "dept_head", "coordinator")
MANAGERS = ("coordinator", "office_admin")
# The unit's own work (the assessment, internal bulletins): its 创建办 only; the office reads.
WORKERS = ("coordinator",)


def only(ok: int, people: tuple[str, ...], anonymous: int = 302) -> dict[str, int]:
    """The listed personas get `ok`; the rest of the unit 403; another city 404."""
    table = expect(403, anonymous, outsider_admin=404)
    table.update(dict.fromkeys(people, ok))
    return table


ROUTES: dict[str, Route] = {
    # Screens
    "oversight:index": Route("GET", _no_args, expect(302, outsider_admin=200)),
    "oversight:problems": Route("GET", _campaign, unit_read()),
    "oversight:export": Route("GET", _campaign, unit_read()),
    "oversight:new": Route("GET", _campaign, only(200, RECORDERS)),
    "oversight:inspections": Route("GET", _campaign, unit_read()),
    "oversight:inspection_new": Route("GET", _campaign, only(200, RECORDERS)),
    "oversight:inspection": Route("GET", _inspection, unit_read()),
    "oversight:record": Route("POST", _inspection, only(400, RECORDERS)),
    "oversight:problem": Route("GET", _problem, unit_read()),
    "oversight:start": Route("POST", _problem, only(302, RECTIFIERS)),
    "oversight:submit": Route("POST", _problem, only(400, RECTIFIERS)),
    "oversight:verify": Route("POST", _awaiting, only(302, RECORDERS)),
    "oversight:return": Route("POST", _awaiting, only(400, RECORDERS)),
    "oversight:reassign": Route("POST", _problem, only(400, MANAGERS)),
    "oversight:remove": Route("POST", _problem, only(400, MANAGERS)),
    "oversight:file": Route("GET", lambda t: [t["ov_file"].pk], unit_read()),
    # API
    "api:oversight_inspection_list": Route(
        "GET", _no_args, unit_read(anonymous=401), query="?campaign={ov_campaign}"
    ),
    "api:oversight_inspection_create": Route(
        "POST",
        _no_args,
        only(422, RECORDERS, 401),
        data=lambda t: {"campaign": t["ov_campaign"].pk},
    ),
    "api:oversight_problem_create": Route(
        "POST",
        _no_args,
        only(422, RECORDERS, 401),
        data=lambda t: {"inspection": t["ov_inspection"].pk},
    ),
    "api:oversight_problem_list": Route(
        "GET", _no_args, unit_read(anonymous=401), query="?campaign={ov_campaign}"
    ),
    "api:oversight_problem_detail": Route("GET", _problem, unit_read(anonymous=401)),
    "api:oversight_problem_start": Route("POST", _problem, only(200, RECTIFIERS, 401)),
    "api:oversight_problem_submit": Route("POST", _problem, only(422, RECTIFIERS, 401)),
    "api:oversight_problem_verify": Route("POST", _awaiting, only(200, RECORDERS, 401)),
    "api:oversight_problem_return": Route("POST", _awaiting, only(422, RECORDERS, 401)),
}


# --- department assessment (部门考核, R8) ------------------------------------------------------
#
# The ranking is read by the whole unit and the office above; the accountability and
# commendation records by the 创建办 and the office above; the rules and the records are
# changed by the 创建办 only (the office admin is refused, 403). Posts without data answer
# 400 (screens) or 422 (API) to the 创建办.

_before_assessment_targets = targets


def targets(base: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    from django.contrib.auth.models import User

    from wenming.oversight.models import Accountability, Commendation

    found = _before_assessment_targets(base)
    campaign = found["ov_campaign"]
    found["ov_accountability"] = Accountability.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=base["food"],
        decided_on=datetime.date(2026, 5, 10),
        reason="问题逾期未整改",
    )
    found["ov_commendation"] = Commendation.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=base["food"],
        decided_on=datetime.date(2026, 5, 10),
        title="创建工作先进科室",
        reason="任务全部按时完成",
    )
    found["ov_person"] = User.objects.get(username="jingban")  # staff of 食品安全监管科
    return found


def _accountability(t: dict[str, Any]) -> list[Any]:
    return [t["ov_accountability"].pk]


def _commendation(t: dict[str, Any]) -> list[Any]:
    return [t["ov_commendation"].pk]


def _person(t: dict[str, Any]) -> list[Any]:
    return [t["ov_campaign"].pk, t["ov_person"].pk]


ROUTES.update(
    {
        "oversight:assessment": Route("GET", _campaign, unit_read()),
        "oversight:assessment_export": Route("GET", _campaign, unit_read()),
        "oversight:assessment_rules": Route("GET", _campaign, only(200, WORKERS)),
        "oversight:accountability": Route("GET", _campaign, only(200, MANAGERS)),
        "oversight:accountability_new": Route("POST", _campaign, only(400, WORKERS)),
        "oversight:accountability_remove": Route("POST", _accountability, only(400, WORKERS)),
        "api:oversight_assessment": Route("GET", _campaign, unit_read(anonymous=401)),
        "api:oversight_assessment_rule": Route("GET", _campaign, unit_read(anonymous=401)),
        "api:oversight_assessment_rule_update": Route("POST", _campaign, only(422, WORKERS, 401)),
        "api:oversight_accountability_list": Route("GET", _campaign, only(200, MANAGERS, 401)),
        "api:oversight_accountability_create": Route("POST", _campaign, only(422, WORKERS, 401)),
        "api:oversight_accountability_remove": Route(
            "POST", _accountability, only(422, WORKERS, 401)
        ),
        "oversight:assessment_person": Route("GET", _person, unit_read()),
        "oversight:commendations": Route("GET", _campaign, only(200, MANAGERS)),
        "oversight:commendation_new": Route("POST", _campaign, only(400, WORKERS)),
        "oversight:commendation_remove": Route("POST", _commendation, only(400, WORKERS)),
        "api:oversight_commendation_list": Route("GET", _campaign, only(200, MANAGERS, 401)),
        "api:oversight_commendation_create": Route("POST", _campaign, only(422, WORKERS, 401)),
        "api:oversight_commendation_remove": Route("POST", _commendation, only(422, WORKERS, 401)),
    }
)


# --- bulletins (通报, R7) -----------------------------------------------------------------------
#
# Issued bulletins are read by the whole unit and the office above; drafts are read by the
# 创建办 and the office above (everyone else 404) and changed by the 创建办 only (the office
# admin is refused, 403); changing an issued one is refused to the 创建办 (422) and forbidden
# to the rest of the unit and the office (403).

_before_bulletin_targets = targets


def targets(base: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    from wenming.oversight.models import Bulletin, BulletinStatus

    found = _before_bulletin_targets(base)
    campaign = found["ov_campaign"]

    def bulletin(title: str, **extra: Any) -> Bulletin:
        return Bulletin.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            number="市市场监管局创〔2026〕9号",
            title=title,
            period_start=datetime.date(2026, 4, 1),
            period_end=datetime.date(2026, 4, 30),
            issuer="临州市市场监督管理局创建工作领导小组办公室",
            **extra,
        )

    found["ov_bulletin_draft"] = bulletin("关于4月创建工作的通报（草稿）")
    found["ov_bulletin_issued"] = bulletin(
        "关于4月创建工作的通报",
        status=BulletinStatus.ISSUED,
        issued_on=datetime.date(2026, 5, 3),
    )
    return found


def _bulletin_draft(t: dict[str, Any]) -> list[Any]:
    return [t["ov_bulletin_draft"].pk]


def _bulletin_issued(t: dict[str, Any]) -> list[Any]:
    return [t["ov_bulletin_issued"].pk]


def drafts_only(ok: int, anonymous: int = 302, office: int | None = None) -> dict[str, int]:
    """A draft: the 创建办 gets `ok`, the office admin `office` (default `ok`: reading);
    nobody else learns it exists."""
    table = expect(404, anonymous)
    table.update(coordinator=ok, office_admin=ok if office is None else office)
    return table


ROUTES.update(
    {
        "oversight:bulletins": Route("GET", _campaign, unit_read()),
        "oversight:bulletin_new": Route("GET", _campaign, only(200, WORKERS)),
        "oversight:bulletin": Route("GET", _bulletin_draft, drafts_only(200)),
        "oversight:bulletin_edit": Route("GET", _bulletin_draft, drafts_only(200, office=403)),
        "oversight:bulletin_issue": Route("POST", _bulletin_draft, drafts_only(302, office=403)),
        "oversight:bulletin_remove": Route("POST", _bulletin_draft, drafts_only(302, office=403)),
        "oversight:bulletin_docx": Route("GET", _bulletin_issued, unit_read()),
        "api:oversight_bulletin_list": Route("GET", _campaign, unit_read(anonymous=401)),
        "api:oversight_bulletin_create": Route("POST", _campaign, only(422, WORKERS, 401)),
        "api:oversight_bulletin_detail": Route("GET", _bulletin_issued, unit_read(anonymous=401)),
        "api:oversight_bulletin_update": Route("POST", _bulletin_issued, only(422, WORKERS, 401)),
        "api:oversight_bulletin_issue": Route(
            "POST", _bulletin_draft, drafts_only(200, 401, office=403)
        ),
        "api:oversight_bulletin_docx": Route("GET", _bulletin_issued, unit_read(anonymous=401)),
    }
)
