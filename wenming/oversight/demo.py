"""Demo inspections and problems: three inspections and a dozen problems in every state.

Deterministic (dates count back from today, photos are drawn from fixed shapes) and
idempotent: nothing is added when the campaign already has inspections or problems.
Everything goes through the services, as a user would, then the dates are moved back so the
books look lived in.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger.models import EvidenceItem
from wenming.orgs.models import Organization
from wenming.oversight import services
from wenming.oversight.models import (
    EventAction,
    Inspection,
    InspectionKind,
    Problem,
    ProblemEvent,
    Severity,
)
from wenming.trace.context import acting_as


def demo_photo(seed: int, *, taken: datetime.datetime, after: bool = False) -> bytes:
    """A 800×600 JPEG drawn from `seed`: greyish 'before' scenes, greener 'after' ones."""
    base = (120 + seed * 17 % 60, 118, 112) if not after else (150, 190 + seed * 7 % 40, 160)
    im = Image.new("RGB", (800, 600), base)
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 420, 800, 600), fill=(90, 85, 80) if not after else (200, 200, 190))
    for i in range(5):
        x = (seed * 131 + i * 157) % 700
        y = (seed * 71 + i * 89) % 380
        color = ((seed * 40 + i * 50) % 255, (i * 60) % 255, (seed * 90 + i * 30) % 255)
        if after:
            draw.rectangle((x, y, x + 90, y + 60), outline=(30, 120, 60), width=6)
        else:
            draw.ellipse((x, y, x + 110, y + 80), fill=color)
    if not after:
        draw.rectangle((30, 30, 770, 570), outline=(200, 30, 30), width=8)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80, exif=exif)
    return buf.getvalue()


@dataclass(frozen=True)
class Spec:
    inspection: int | None  # index into INSPECTIONS, None when recorded alone
    department: str
    description: str
    place: str
    days: int  # deadline, days after the inspection
    severity: str
    state: str  # pending, rectifying, awaiting, closed, returned
    note: str = ""


INSPECTIONS = [
    (InspectionKind.ROUTINE, "机关办公区环境秩序检查", 40, "局机关办公楼一至五楼", "赵立新、李文静",
     "对办公区、楼道、卫生间、消防通道进行全面检查，总体整洁有序，发现问题4处。"),
    (InspectionKind.UNANNOUNCED, "政务服务窗口暗访", 15, "政务服务大厅市场监管窗口", "赵立新",
     "以办事群众身份暗访，窗口服务总体规范，发现工作纪律和信息公开方面问题。"),
    (InspectionKind.FEEDBACK, "第一季度测评反馈问题", 5, "", "市文明办测评组",
     "市文明办第一季度测评反馈，要求限期整改并报送整改情况。"),
]  # fmt: skip

SPECS = [
    Spec(0, "食品安全监管科", "办公桌面文件堆放杂乱，个人物品未归位", "四楼412办公室", 7,
         Severity.GENERAL, "closed", "已清理桌面，文件统一入柜，建立每日下班“桌面清”制度。"),
    Spec(0, "登记注册科", "窗口“文明用语、服务忌语”提示牌缺失", "一楼登记窗口", 10,
         Severity.GENERAL, "closed", "已重新制作提示牌并上墙，科室组织学习文明用语。"),
    Spec(0, "食品安全监管科", "楼道消防栓前堆放纸箱等杂物，影响消防通道", "四楼东侧楼道", 14,
         Severity.SERIOUS, "rectifying"),
    Spec(0, "办公室", "公共卫生间洗手液缺失，节约用水标识脱落", "三楼公共卫生间", 7,
         Severity.GENERAL, "closed", "已补充洗手液，更换节水标识，明确保洁每日巡检。"),
    Spec(1, "登记注册科", "工作人员上班时间在窗口玩手机", "3号窗口", 7,
         Severity.SERIOUS, "awaiting", "已对当事人批评教育，科室重申工作纪律，窗口手机统一存放。"),
    Spec(1, "登记注册科", "窗口办事指南未及时更新，仍为旧版流程", "政务服务大厅", 10,
         Severity.GENERAL, "returned", "已更换办事指南。"),
    Spec(1, "食品安全监管科", "公示栏“红黑榜”信息过期未更新", "一楼公示栏", 20,
         Severity.GENERAL, "pending"),
    Spec(1, "综合执法支队", "执法车辆车身不洁，车内物品摆放杂乱", "机关停车场", 7,
         Severity.GENERAL, "pending"),
    Spec(2, "办公室", "社会主义核心价值观公益广告宣传氛围不浓，数量不足", "机关大院及楼内", 30,
         Severity.GRAVE, "rectifying"),
    Spec(2, "机关党委", "志愿服务活动台账不完整，缺少活动照片和签到表", "", 20,
         Severity.SERIOUS, "awaiting", "已补充整理志愿服务台账，补齐照片和签到表。"),
    Spec(2, "食品安全监管科", "职工食堂“光盘行动”宣传标识缺失", "职工食堂", 15,
         Severity.GENERAL, "awaiting", "已在食堂餐桌和取餐台张贴“光盘行动”标识。"),
    Spec(None, "人事教育科", "群众反映：办事大厅空调温度过低，未设置温馨提示", "政务服务大厅", 10,
         Severity.GENERAL, "pending"),
]  # fmt: skip

RETURN_REASON = "整改照片看不清办事指南的版本日期，请补拍近景照片。"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def load_demo_problems(campaign: Campaign) -> int:
    """Record the demo inspections and problems in `campaign`; returns how many problems."""
    if (
        Inspection.objects.filter(campaign=campaign).exists()
        or Problem.objects.filter(campaign=campaign).exists()
    ):
        return 0
    users = {
        u.username: u for u in User.objects.filter(username__in=["ducha", "cjb", "keshi", "keshi2"])
    }
    if "ducha" not in users or "cjb" not in users:
        return 0
    inspector, office = users["ducha"], users["cjb"]
    heads = {"食品安全监管科": users.get("keshi"), "登记注册科": users.get("keshi2")}
    departments = {
        d.name: d for d in Organization.objects.departments_of(campaign.unit, active_only=True)
    }
    standards = list(
        Node.objects.filter(framework_id=campaign.framework_id, is_leaf=True).order_by("position")[
            :40
        ]
    )
    today = timezone.localdate()
    inspections: list[Inspection] = []
    for kind, title, ago, place, names, findings in INSPECTIONS:
        with acting_as(inspector):
            recorded = services.inspection_create(
                campaign=campaign,
                user=inspector,
                kind=kind,
                title=title,
                inspected_on=today - datetime.timedelta(days=ago),
                place=place,
                inspectors=names,
                findings=findings,
            )
        inspections.append(recorded)
    ledger_item = (
        EvidenceItem.objects.live()
        .filter(campaign=campaign)
        .filter(Q(title__contains="志愿") | Q(summary__contains="志愿"))
        .order_by("id")
        .first()
    )
    made = 0
    for n, spec in enumerate(SPECS, start=1):
        department = departments.get(spec.department)
        if department is None:
            continue
        inspection = inspections[spec.inspection] if spec.inspection is not None else None
        found_on = inspection.inspected_on if inspection else today - datetime.timedelta(days=3)
        taken = _at(found_on, 9) + datetime.timedelta(minutes=n * 7)
        with acting_as(inspector):
            problem = services.problem_create(
                campaign=campaign,
                user=inspector,
                inspection=inspection,
                description=spec.description,
                place=spec.place,
                department=department,
                deadline=max(found_on + datetime.timedelta(days=spec.days), today)
                if inspection is None
                else found_on + datetime.timedelta(days=spec.days),
                severity=spec.severity,
                standard=standards[(n * 3) % len(standards)] if standards else None,
                uploads=[_upload(f"问题照片{n}.jpg", demo_photo(n, taken=taken))],
            )
        rectifier = heads.get(spec.department) or office
        done_on = min(found_on + datetime.timedelta(days=max(1, spec.days - 2)), today)
        with acting_as(rectifier):
            if spec.state != "pending":
                services.problem_start(problem=problem, user=rectifier)
            if spec.state in ("awaiting", "closed", "returned"):
                items = [ledger_item] if ledger_item and spec.department == "机关党委" else []
                services.problem_submit(
                    problem=problem,
                    user=rectifier,
                    note=spec.note,
                    uploads=[
                        _upload(f"整改后{n}.jpg", demo_photo(n, taken=_at(done_on, 15), after=True))
                    ],
                    evidence_items=items,
                )
        with acting_as(inspector):
            if spec.state == "closed":
                services.problem_verify(
                    problem=problem, user=inspector, comment="现场复查，已整改到位。"
                )
            if spec.state == "returned":
                services.problem_return(problem=problem, user=inspector, reason=RETURN_REASON)
        _backdate(problem, found_on, done_on, today)
        made += 1
    with acting_as(office):
        load_demo_accountability(campaign)
        load_demo_people_records(campaign)
        load_demo_bulletins(campaign)
    return made


def _backdate(
    problem: Problem, found_on: datetime.date, done_on: datetime.date, today: datetime.date
) -> None:
    """Move the demo's timestamps from 'just now' to the days the story says."""
    created = _at(found_on, 10)
    rectified = _at(done_on, 16)
    verified = _at(min(done_on + datetime.timedelta(days=1), today), 10)
    problem.refresh_from_db()
    changes: dict[str, object] = {"created_at": created}
    if problem.rectified_at:
        changes["rectified_at"] = rectified
    if problem.closed_at:
        changes["closed_at"] = verified
    Problem.objects.filter(pk=problem.pk).update(**changes)
    when = {
        EventAction.CREATED: created,
        EventAction.STARTED: _at(found_on + datetime.timedelta(days=1), 9),
        EventAction.SUBMITTED: rectified,
        EventAction.VERIFIED: verified,
        EventAction.RETURNED: verified,
    }
    for action, at in when.items():
        ProblemEvent.objects.filter(problem=problem, action=action).update(at=at)


def load_demo_accountability(campaign: Campaign) -> None:
    """One accountability record (追责), so the ranking shows a department losing eligibility.

    Idempotent: nothing is added when the campaign already has one.
    """
    from wenming.oversight.models import Accountability

    if Accountability.objects.filter(campaign=campaign).exists():
        return
    office = User.objects.filter(username="cjb").first()
    department = (
        Organization.objects.departments_of(campaign.unit).filter(name="综合执法支队").first()
    )
    if office is None or department is None:
        return
    problem = Problem.objects.filter(campaign=campaign, department=department).first()
    Accountability.objects.create(
        campaign=campaign,
        unit=campaign.unit,
        department=department,
        problem=problem,
        decided_on=timezone.localdate() - datetime.timedelta(days=5),
        person="执法支队车辆管理员",
        reason="督查发现的执法车辆问题逾期未整改，经提醒仍未落实。",
        measure="通报批评",
        recorded_by=office,
    )


def _this_year(days_ago: int) -> datetime.date:
    today = timezone.localdate()
    return max(today - datetime.timedelta(days=days_ago), today.replace(month=1, day=1))


def load_demo_people_records(campaign: Campaign) -> None:
    """An accountability record against a person (孙伟, whose department left a problem
    overdue) and two commendations (a department and a person), so the assessment's people
    section shows both ways a person's eligibility goes. Idempotent."""
    from wenming.oversight.assessment import services as assessment
    from wenming.oversight.models import Accountability, Commendation

    office = User.objects.filter(username="cjb").first()
    users = {u.username: u for u in User.objects.filter(username__in=["keshi2", "jingban"])}
    departments = {
        d.name: d
        for d in Organization.objects.departments_of(campaign.unit).filter(
            name__in=["登记注册科", "食品安全监管科", "人事教育科"]
        )
    }
    if office is None or len(users) < 2 or len(departments) < 3:
        return
    if not Accountability.objects.filter(campaign=campaign, person_user__isnull=False).exists():
        registry = departments["登记注册科"]
        assessment.accountability_record(
            campaign=campaign,
            department=registry,
            user=office,
            decided_on=_this_year(3),
            reason="窗口办事指南逾期未更新，督查提醒后仍未整改到位。",
            person_user=users["keshi2"],
            measure="通报批评",
            problem=Problem.objects.overdue(timezone.localdate())
            .filter(campaign=campaign, department=registry)
            .first(),
        )
    if not Commendation.objects.filter(campaign=campaign).exists():
        assessment.commendation_record(
            campaign=campaign,
            user=office,
            department=departments["人事教育科"],
            person=None,
            decided_on=_this_year(20),
            title="创建台账工作先进科室",
            reason="全年上传台账均一次审核通过，图文齐全、成效清楚。",
        )
        assessment.commendation_record(
            campaign=campaign,
            user=office,
            department=departments["食品安全监管科"],
            person=users["jingban"],
            decided_on=_this_year(10),
            title="创建工作先进个人",
            reason="牵头整理食品安全宣传台账，组织“文明餐桌”活动12场。",
        )


def load_demo_bulletins(campaign: Campaign) -> None:
    """Last month's bulletin, issued, and this month's as a draft, so both screens have one.

    Idempotent: nothing is added when the campaign already has bulletins.
    """
    from wenming.oversight.bulletins import services as bulletins
    from wenming.oversight.bulletins.facts import last_month, month_last_day
    from wenming.oversight.models import Bulletin

    office = User.objects.filter(username="cjb").first()
    if office is None or Bulletin.objects.filter(campaign=campaign).exists():
        return
    start, end = last_month()
    issued = bulletins.bulletin_draft(campaign=campaign, user=office, start=start, end=end)
    bulletins.bulletin_issue(
        bulletin=issued,
        user=office,
        issued_on=min(timezone.localdate(), end + datetime.timedelta(days=3)),
    )
    today = timezone.localdate()
    this_month = today.replace(day=1)
    bulletins.bulletin_draft(
        campaign=campaign, user=office, start=this_month, end=month_last_day(this_month)
    )
