"""The demo's 先进典型 (`load_demo_nominations(campaign)`): this year's 文明职工 rating of the
market bureau and two nominations at different steps, taken through the services as the
departments and the 创建办 would, with their dates set back to a plausible way:

- 陈晓燕 (食品安全监管科), 文明职工: nominated and recommended by her 科长 张明, reviewed by
  the 创建办, in 公示 now (started two days ago), one objection received and answered
  不属实.
- 孙伟 (登记注册科), “身边好人”（助人为乐）: nominated a month and a half ago, 公示 ended,
  awarded with a photo of the ceremony and the generated 推荐审批表 in its ledger item, and
  referred to 临州好人榜.

Deterministic (a fixed seed; dates count back from today) and idempotent: nothing is added
when the campaign already has nominations, or when this year is outside its cycle.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenming.activities import nominations as services
from wenming.activities.models.nominations import (
    Category,
    Nomination,
    NominationEvent,
    Objection,
)
from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger import demo as ledger_demo
from wenming.ledger.models import EvidenceEvent, EvidenceFile, EvidenceItem
from wenming.orgs.calendar import is_working_day, office_of
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.trace.context import acting_as

SEED = 2612
RATING_CRITERIA = (
    "热爱祖国、遵纪守法；爱岗敬业、业绩突出，年度考核称职以上；积极参加志愿服务和文明创建活动，"
    "年度志愿服务时长不少于20小时；家庭和睦，邻里团结，在干部职工中有较好口碑。"
)
WORKER_STORY = (
    "陈晓燕同志2026年承担全局食品安全抽检数据汇总和投诉举报处置工作，全年办结投诉举报"
    "126件，群众满意率100%。她主动参加“食品安全进社区”志愿服务，利用周末为居民讲解"
    "过期食品识别和快检知识，全年志愿服务时长32小时，带动科室3名年轻同志加入志愿服务队。"
)
HELPER_STORY = (
    "孙伟同志连续六年照顾同小区独居的八旬老人周奶奶，每周上门帮助买菜、打扫、陪同就医；"
    "今年夏天老人突发疾病，他及时送医并垫付医药费。他还在小区组织“邻里互助小组”，"
    "帮助12户困难老人解决生活难题，事迹被《临州日报》报道。"
)
OBJECTION = (
    "反映陈晓燕同志上半年有一次投诉处理超期。",
    "经核实，该投诉因需补充检验报告依法延长办理期限，已书面告知投诉人，不属于超期办理；"
    "已向反映人当面说明。",
)


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _Clock:
    """Sets the events of each step back to the day it was taken."""

    def __init__(self, nomination: Nomination) -> None:
        self.nomination = nomination
        self.last = 0

    def at(self, day: datetime.date, hour: int) -> None:
        found = NominationEvent.objects.filter(nomination=self.nomination, pk__gt=self.last)
        ids = list(found.values_list("pk", flat=True))
        found.update(created_at=_aware(day, hour))
        self.last = max(ids, default=self.last)


def _working_day(unit: Organization, day: datetime.date) -> datetime.date:
    """`day`, or the working day before it: a 公示 starts on a working day."""
    office = office_of(unit)
    while not is_working_day(office, day):
        day -= datetime.timedelta(days=1)
    return day


def _created(nomination: Nomination, day: datetime.date) -> Nomination:
    at = _aware(day, 10)
    Nomination.objects.filter(pk=nomination.pk).update(created_at=at, updated_at=at)
    nomination.refresh_from_db()
    return nomination


def _photo(day: datetime.date, rng: random.Random) -> SimpleUploadedFile:
    look = ledger_demo.Spec(
        code="C3-1",
        title="“身边好人”表彰",
        place="局机关会议室",
        scene="meeting",
        banner="“身边好人”表彰会",
        summary="",
        result="",
        months_ago=0,
    )
    data = ledger_demo.photo(look, rng, _aware(day, 15, rng.randint(5, 55)))
    return SimpleUploadedFile(f"IMG_{day:%Y%m%d}_1501.jpg", data)


def _in_publicity(
    campaign: Campaign,
    people: dict[str, User],
    department: Organization,
    standards: list[Node],
    today: datetime.date,
) -> Nomination:
    head, office = people["keshi"], people["cjb"]
    created = today - datetime.timedelta(days=9)
    with acting_as(head):
        n = services.nomination_create(
            campaign=campaign,
            user=head,
            department=department,
            year=today.year,
            category=Category.CIVIL_WORKER,
            story=WORKER_STORY,
            standards=standards,
            person=people["jingban"],
        )
        n = _created(n, created)
        clock = _Clock(n)
        clock.at(created, 10)
        services.nomination_recommend(nomination=n, user=head, note="经科室会议研究，同意推荐。")
        clock.at(created + datetime.timedelta(days=1), 9)
    with acting_as(office):
        services.nomination_review(nomination=n, user=office, note="材料齐全，符合评选条件。")
        clock.at(created + datetime.timedelta(days=4), 16)
        start = _working_day(campaign.unit, today - datetime.timedelta(days=2))
        services.nomination_publicize(nomination=n, user=office, starts_on=start)
        clock.at(start, 9)
        received = min(start + datetime.timedelta(days=1), today)
        objection = services.objection_record(
            nomination=n,
            user=office,
            received_on=received,
            raised_by="来电群众（匿名）",
            content=OBJECTION[0],
        )
        clock.at(received, 11)
        services.objection_answer(
            objection=objection, user=office, answer=OBJECTION[1], upheld=False
        )
        Objection.objects.filter(pk=objection.pk).update(answered_at=_aware(today, 9))
        clock.at(today, 9)
    return n


def _awarded(
    campaign: Campaign,
    people: dict[str, User],
    department: Organization,
    standards: list[Node],
    today: datetime.date,
    rng: random.Random,
) -> Nomination:
    head, office = people["keshi2"], people["cjb"]
    created = today - datetime.timedelta(days=45)
    with acting_as(head):
        n = services.nomination_create(
            campaign=campaign,
            user=head,
            department=department,
            year=today.year,
            category=Category.HELPFUL,
            story=HELPER_STORY,
            standards=standards,
            person=people["keshi2"],
        )
        n = _created(n, created)
        clock = _Clock(n)
        clock.at(created, 10)
    with acting_as(office):
        services.nomination_recommend(
            nomination=n, user=office, note="登记注册科推荐，创建办代为确认。"
        )
        clock.at(created + datetime.timedelta(days=2), 9)
        services.nomination_review(nomination=n, user=office)
        clock.at(created + datetime.timedelta(days=5), 15)
        start = _working_day(campaign.unit, today - datetime.timedelta(days=30))
        n = services.nomination_publicize(nomination=n, user=office, starts_on=start)
        clock.at(start, 9)
        assert n.publicity_ends_on is not None
        awarded_on = n.publicity_ends_on + datetime.timedelta(days=3)
        n = services.nomination_award(
            nomination=n, user=office, awarded_on=awarded_on, uploads=[_photo(awarded_on, rng)]
        )
        clock.at(awarded_on, 16)
        referred_on = awarded_on + datetime.timedelta(days=5)
        n = services.nomination_refer(
            nomination=n,
            user=office,
            referred_to="临州好人榜",
            referred_on=referred_on,
            note="报市文明办参加“临州好人榜”季度评议。",
        )
        clock.at(referred_on, 10)
    _backdate_item(n, _aware(awarded_on, 16))
    return n


def _backdate_item(nomination: Nomination, at: datetime.datetime) -> None:
    if nomination.evidence_id is None:
        return
    EvidenceItem.objects.filter(pk=nomination.evidence_id).update(created_at=at, submitted_at=at)
    EvidenceEvent.objects.filter(item_id=nomination.evidence_id).update(at=at)
    EvidenceFile.objects.filter(item_id=nomination.evidence_id).update(uploaded_at=at)


def load_demo_nominations(campaign: Campaign) -> int:
    """The demo's rating and nominations in `campaign`; returns how many nominations were
    added (0 when it already has some, or this year is outside its cycle)."""
    today = timezone.localdate()
    if Nomination.objects.filter(campaign=campaign).exists():
        return 0
    if not campaign.cycle_start.year <= today.year <= campaign.cycle_end.year:
        return 0
    unit = campaign.unit
    people = {u.username: u for u in unit_people(unit)}
    departments = {d.name: d for d in Organization.objects.departments_of(unit, active_only=True)}
    nodes = {n.code: n for n in Node.objects.filter(framework=campaign.framework, is_leaf=True)}
    needed = ("keshi", "keshi2", "jingban", "cjb")
    food, registry = departments.get("食品安全监管科"), departments.get("登记注册科")
    if any(u not in people for u in needed) or food is None or registry is None:
        return 0
    if "C3-1" not in nodes or "C3-2" not in nodes:
        return 0
    office = people["cjb"]
    with acting_as(office):
        services.rating_create(
            campaign=campaign,
            user=office,
            year=today.year,
            category=Category.CIVIL_WORKER,
            criteria=RATING_CRITERIA,
            quota=3,
        )
    rng = random.Random(SEED)
    _in_publicity(campaign, people, food, [nodes["C3-2"]], today)
    _awarded(campaign, people, registry, [nodes["C3-1"]], today, rng)
    return 2
