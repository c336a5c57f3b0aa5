"""Demo applications of 临州市文明办: two open batches, applications at every step.

- 2026年度市级文明单位申报（第十一批）: the window closed ten days ago; eleven units applied and
  stand at every step from 待初审 to 公示中 (one returned for supplement, one vetoed by the
  纪检监察 opinion, one withdrawn).
- 2026年度市级文明单位标兵申报: the window is open; the market bureau (the demo's own unit,
  市级文明单位 since 2024) may apply, so its 创建办 (`cjb`) can try the whole cycle.

Each applicant unit gets a 创建办 account (`sb01`…, password as the other demo accounts);
everything goes through the services, as the unit and the office would, with dates counted back
from today. Only the full demo loads it; idempotent.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from wenming.applications import decisions, field_round, services
from wenming.applications.models import Application, Batch, OpinionBody, RuleKind
from wenming.core.demo import DemoContext
from wenming.frameworks.models import Framework, Node, Section
from wenming.orgs.calendar import is_working_day, load_official_holidays
from wenming.orgs.demo import DEMO_PASSWORD
from wenming.orgs.models import Membership, Organization, Role
from wenming.registry import services as registry_services
from wenming.registry.models import Level, RegistryEntry
from wenming.trace.context import acting_as

SUMMARY = (
    "近年来，我单位坚持以习近平新时代中国特色社会主义思想为指导，把精神文明创建工作纳入"
    "单位发展总体规划，成立由主要负责同志任组长的创建工作领导小组，设立创建办，制定《创建"
    "工作实施方案》，将测评体系逐项分解到科室、落实到人，做到年初有计划、季度有推进、年底有"
    "考核。\n"
    "一是加强思想道德建设。坚持理论学习中心组学习和周四集体学习制度，每月举办道德讲堂，"
    "深入开展“我们的节日”主题活动，选树身边好人和文明职工。\n"
    "二是提升服务水平。推行首问负责、一次性告知和限时办结，窗口服务满意率保持在98%以上。\n"
    "三是深化志愿服务。注册志愿者占职工总数的40%，常态化开展“双报到”和社区结对共建。\n"
    "四是优化单位环境。实施绿化、亮化、美化工程，建成职工书屋和党员活动室。\n"
    "下一步，我们将对照测评体系查漏补缺，持续巩固创建成果。"
)


@dataclass(frozen=True)
class Applicant:
    name: str
    sector: str
    staff: int
    principal: str
    contact: str
    phone: str
    step: str  # the application's status in the demo ("publicizing": its notice still runs)


APPLICANTS = [
    Applicant(
        "临州市临海区政务服务中心", "机关", 130, "金晶", "王磊", "0576-85610019", "submitted"
    ),
    Applicant("临州市消防救援支队", "政法", 460, "严峰", "周涛", "0576-88119001", "submitted"),
    Applicant("临州市东城区行政审批局", "机关", 75, "孔辉", "郑丽", "0576-86610011", "returned"),
    Applicant("临州博物馆", "文化", 90, "廖古", "何欣", "0576-88710012", "accepted"),
    Applicant("临州市档案馆", "文化", 60, "宋文", "陶然", "0576-88710030", "assessed"),
    Applicant("临州市水利局", "机关", 170, "江河", "鲁平", "0576-88610020", "consulted"),
    Applicant("临州市妇幼保健院", "卫生健康", 620, "白雪", "柳青", "0576-88310300", "publicized"),
    Applicant("临州市体育中心", "文化", 140, "常胜", "伍强", "0576-88710040", "publicized"),
    Applicant("临州市园林管理处", "机关", 110, "林木", "苗青", "0576-88610040", "publicizing"),
    Applicant("临州市统计局", "机关", 95, "钟数", "梁宇", "0576-88610030", "rejected"),
    Applicant("临州市科学技术馆", "文化", 80, "黄科", "林一", "0576-88710050", "withdrawn"),
]
NEW_UNITS = {"临州市消防救援支队", "临州市档案馆", "临州市水利局", "临州市妇幼保健院"}
NEW_UNITS |= {"临州市体育中心", "临州市统计局", "临州市科学技术馆", "临州市园林管理处"}
MATERIALS = "申报表（加盖单位公章）\n创建工作总结（3000字以内）\n近三年测评自评表\n创建台账（按测评体系逐项提交）"


class _Demo:
    def __init__(self, context: DemoContext) -> None:
        self.office: Organization = context.office
        self.admin: User = context.users["wmb_admin"]
        self.today = timezone.localdate()
        self.framework = Framework.objects.filter(
            owner=self.office, lineage="SAMPLE-WMDW", status="published"
        ).first()

    def days(self, n: int) -> datetime.date:
        return self.today + datetime.timedelta(days=n)

    def working_day_back(self, n: int) -> datetime.date:
        """The working day `n` working days before today (the period then includes today)."""
        day = self.today
        while n:
            day -= datetime.timedelta(days=1)
            if is_working_day(self.office, day):
                n -= 1
        return day

    def batches(self) -> tuple[Batch, Batch]:
        year = self.today.year
        city = services.batch_create(
            office=self.office,
            user=self.admin,
            rules=[
                {"kind": RuleKind.MIN_STAFF, "number": 50},
                {"kind": RuleKind.NO_VETO, "years": 2},
                {"kind": RuleKind.NOT_BANNED},
                {"kind": RuleKind.NOT_HELD},
            ],
            year=year,
            title=f"{year}年度市级文明单位申报（第十一批）",
            honour_title="市级文明单位",
            level=Level.CITY,
            term_years=3,
            batch_label="第十一批",
            opens_on=self.days(-45),
            closes_on=self.days(-10),
            quota=4,
            materials=MATERIALS,
            framework=self.framework,
            summary_limit=3000,
            publicity_days=5,
        )
        model = services.batch_create(
            office=self.office,
            user=self.admin,
            rules=[
                {"kind": RuleKind.HOLDS_LOWER, "level": Level.CITY, "years": 2},
                {"kind": RuleKind.MIN_STAFF, "number": 100},
                {"kind": RuleKind.NO_VETO, "years": 3},
                {"kind": RuleKind.NOT_BANNED},
                {"kind": RuleKind.NOT_HELD},
            ],
            year=year,
            title=f"{year}年度市级文明单位标兵申报",
            honour_title="文明单位标兵",
            level=Level.CITY,
            term_years=3,
            batch_label=f"{year}年度",
            opens_on=self.days(-5),
            closes_on=self.days(25),
            quota=2,
            materials=MATERIALS,
            framework=self.framework,
            summary_limit=3000,
            publicity_days=5,
        )
        return city, model

    def applicant_unit(self, spec: Applicant, number: int) -> tuple[Organization, User]:
        if spec.name in NEW_UNITS:
            entry = registry_services.entry_register(
                office=self.office,
                user=self.admin,
                unit_name=spec.name,
                sector=spec.sector,
                area="市直",
                staff_count=spec.staff,
                info_admin_name=spec.contact,
                info_admin_phone=spec.phone,
            )
        else:
            entry = RegistryEntry.objects.select_related("unit").get(
                office=self.office, unit__name=spec.name
            )
        user = User.objects.create_user(
            username=f"sb{number:02d}", password=DEMO_PASSWORD, first_name=spec.contact
        )
        Membership.objects.create(
            user=user, organization=entry.unit, role=Role.COORDINATOR, title="创建办主任"
        )
        return entry.unit, user

    def apply(self, batch: Batch, spec: Applicant, unit: Organization, user: User) -> Application:
        return services.application_submit(
            batch=batch,
            unit=unit,
            user=user,
            day=batch.closes_on - datetime.timedelta(days=3),
            principal_name=spec.principal,
            contact_name=spec.contact,
            contact_phone=spec.phone,
            address=f"临州市{spec.name[3:6]}路{len(spec.name) * 7}号",
            staff_count=spec.staff,
            party_member_count=spec.staff // 3,
            volunteer_count=spec.staff * 2 // 5,
            basic_facts=f"{spec.name}现有职工{spec.staff}人，内设机构若干，创建工作由创建办统筹推进。",
            summary=SUMMARY,
        )


def _field_round_begun(demo: _Demo, app: Application) -> None:
    """实地测评 arranged and begun: the first basic standards scored on the frozen submission."""
    round_ = decisions.field_round_open(
        application=app, user=demo.admin, scored_on=demo.days(0), assessors=[demo.admin]
    )
    standards = Node.objects.filter(
        framework_id=round_.framework_id, is_leaf=True, section=Section.BASIC
    ).order_by("position")[:4]
    for number, standard in enumerate(standards):
        full = standard.points or Decimal(0)
        given: dict[str, Any] = {"points": full, "comment": "", "method": "实地查看"}
        if number == 3 and full >= 1:
            given.update(points=full - 1, comment="现场查看，相关制度未上墙公示。")
        try:
            field_round.field_score_set(
                application=app, standard=standard, user=demo.admin, **given
            )
        except ValidationError:  # a graded standard takes only its grades: give it full
            field_round.field_score_set(
                application=app, standard=standard, user=demo.admin, points=full
            )


def _advance(demo: _Demo, app: Application, step: str, user: User) -> None:
    """Take one application from 待初审 to `step`, as the office and the unit would."""
    admin = demo.admin
    if step == "submitted":
        return
    if step == "withdrawn":
        services.application_withdraw(
            application=app, user=user, reason="单位负责人调整，本年度暂缓申报。"
        )
        return
    if step == "returned":
        services.application_return(
            application=app,
            user=admin,
            comment="创建工作总结未体现志愿服务开展情况，申报表未加盖公章，请补充后重新提交。",
            deadline=demo.days(7),
        )
        return
    services.application_accept(application=app, user=admin, comment="材料齐全，初审通过。")
    if step == "accepted":
        _field_round_begun(demo, app)
        return
    decisions.field_assessment_record(
        application=app,
        user=admin,
        survey_rate=Decimal("93.50"),
        survey_note="现场发放问卷60份，收回58份。",
        field_score=Decimal("88.50") if step != "rejected" else Decimal("86.00"),
        comment="实地测评组由市文明办创建科组织。",
    )
    if step == "assessed":
        return
    for body in (OpinionBody.DISCIPLINE, OpinionBody.LEGAL, OpinionBody.PETITION):
        adverse = step == "rejected" and body == OpinionBody.DISCIPLINE
        decisions.opinion_record(
            application=app,
            user=admin,
            body=body,
            body_name="",
            adverse=adverse,
            content="该单位一名班子成员因违反中央八项规定精神受到党纪处分。"
            if adverse
            else "经查，该单位近三年无违纪违法及一票否决情形，同意推荐。",
            received_on=demo.days(-4),
        )
        if adverse:
            return
    decisions.consultation_finish(application=app, user=admin)


def load_demo_applications(context: DemoContext) -> None:
    """The `demo.load` step: the office's batches and applications (only in the full demo)."""
    if not context.with_campaign:
        return
    if Batch.objects.filter(office=context.office).exists():
        return
    demo = _Demo(context)
    with acting_as(demo.admin):
        for year in (demo.today.year, demo.today.year + 1):
            # A year whose schedule is not published yet stays plain Monday to Friday.
            with contextlib.suppress(ValidationError):
                load_official_holidays(office=demo.office, user=demo.admin, year=year)
        city, _ = demo.batches()
        public: dict[str, list[Application]] = {"publicized": [], "publicizing": []}
        for number, spec in enumerate(APPLICANTS, start=1):
            unit, user = demo.applicant_unit(spec, number)
            with acting_as(user):
                app = demo.apply(city, spec, unit, user)
            _advance(demo, app, spec.step, user)
            if spec.step in public:
                public[spec.step].append(app)
        # Two notices have ended (the office can name them today); one runs into next week.
        ended = public["publicized"]
        starts = demo.working_day_back(8)
        decisions.publicity_start(batch=city, user=demo.admin, starts_on=starts, applications=ended)
        decisions.publicity_start(
            batch=city,
            user=demo.admin,
            starts_on=demo.working_day_back(1),
            applications=public["publicizing"],
        )
        objection = decisions.objection_record(
            application=ended[0],
            user=demo.admin,
            received_on=starts + datetime.timedelta(days=1),
            content="反映该院门诊挂号排队时间长、个别窗口服务态度生硬。",
        )
        decisions.objection_answer(
            objection=objection,
            user=demo.admin,
            answer="经实地核查，该院已增设自助挂号机并开展窗口服务专项整治，所反映问题不影响命名。",
            answered_on=starts + datetime.timedelta(days=3),
            upheld=False,
        )
