"""The demo's imported hours, 双报到 and 帮扶共建 (`load_demo_service(campaign)`, a `demo.load`
step after the demo activities).

- Hours: a volunteer platform's export of 300 rows (title row, header, 合计 row, as such
  exports look) built in memory as .xlsx and imported through `hours_import.hours_import`,
  as a department would: the unit's people over the past months, 张明 (keshi) with more than
  100 hours in all, so the volunteers' page shows a star.
- 双报到: three members with their communities, each with the community's feedback for the
  last complete quarter.
- 帮扶共建: 石桥村 with its plan, led by 综合执法支队; the demo's 帮扶共建 activity becomes
  its first visit.

Deterministic (a fixed seed; dates count back from today) and idempotent: each part is added
only when the unit (or campaign) has none of its kind yet.
"""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import Workbook

from wenming.activities import community, hours_import
from wenming.activities.models import (
    Activity,
    ActivityKind,
    CommunityReport,
    FeedbackRating,
    HoursImport,
    Pairing,
)
from wenming.campaigns.models import Campaign
from wenming.orgs.models import Organization
from wenming.orgs.services import unit_people
from wenming.trace.context import acting_as

SEED = 2611
ROWS = 300
STAR_PERSON = "keshi"
STAR_ROWS = 40  # about 4 hours each: past 100 hours in all
SPAN_DAYS = 240
FILE_NAME = "志愿服务时长导出（临州志愿服务平台）.xlsx"
HEADER = ["序号", "姓名", "志愿者编号", "服务项目", "组织单位", "服务日期", "服务时长（小时）"]
PROJECTS = [
    "文明交通劝导",
    "食品安全宣传进社区",
    "敬老院陪护",
    "图书馆志愿服务",
    "垃圾分类宣传引导",
    "无偿献血服务",
    "文明餐桌宣传",
]
ORGANIZERS = ["临州市志愿服务联合会", "城东街道新时代文明实践所", "本单位志愿服务队"]
REPORTS = [
    (
        "keshi",
        "城东街道幸福里社区",
        FeedbackRating.EXCELLENT,
        "12",
        "积极参加社区清洁家园和文明劝导。",
    ),
    ("jingban", "城西街道锦绣社区", FeedbackRating.GOOD, "8.5", "参加社区垃圾分类宣传两次。"),
    (
        "keshi2",
        "江北街道滨江社区",
        FeedbackRating.EXCELLENT,
        "10",
        "认领社区微心愿，帮扶困难老人。",
    ),
]
PAIRING_PARTNER = "临州市江北区石桥村"
PAIRING_DEPARTMENT = "综合执法支队"
PAIRING_PLAN = (
    "与石桥村党支部结对共建：每季度走访一次，慰问困难群众；帮助拓宽农产品销售渠道；"
    "协助开展村容村貌整治和移风易俗宣传；每年与村“两委”共同开展一次主题党日。"
)


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def demo_sheet(people: list[User], today: datetime.date, rows: int = ROWS) -> bytes:
    """The platform's export as .xlsx: `rows` rows over `people`, the star person's first."""
    rng = random.Random(SEED)
    star = next((p for p in people if p.username == STAR_PERSON), people[0])
    others = [p for p in people if p.pk != star.pk] or [star]
    span = range(1, SPAN_DAYS + 1)
    planned: list[tuple[User, int, Decimal]] = []
    star_rows = min(STAR_ROWS, rows)
    for day in rng.sample(span, star_rows):
        planned.append((star, day, Decimal(rng.choice(["3.5", "4", "4", "4.5"]))))
    left = rows - star_rows
    for n, person in enumerate(others):
        count = left // len(others) + (1 if n < left % len(others) else 0)
        for day in rng.sample(span, min(count, len(span))):
            planned.append((person, day, Decimal(rng.choice(["0.5", "1", "1.5", "2"]))))
    planned.sort(key=lambda p: (-p[1], p[0].username))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("志愿服务时长")
    sheet.append(["临州志愿服务平台 志愿服务时长导出"])
    sheet.append(HEADER)
    total = Decimal(0)
    for n, (person, days_ago, hours) in enumerate(planned, start=1):
        served_on = today - datetime.timedelta(days=days_ago)
        project = PROJECTS[(n + person.pk) % len(PROJECTS)]
        organizer = ORGANIZERS[n % len(ORGANIZERS)]
        sheet.append([n, _name(person), "", project, organizer, served_on, float(hours)])
        total += hours
    sheet.append([None, "合计", None, None, None, None, float(total)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _hours(unit: Organization, people: dict[str, User]) -> int:
    if HoursImport.objects.filter(unit=unit).exists() or not people:
        return 0
    importer = people.get("jingban") or people.get("cjb")
    content = demo_sheet(list(people.values()), timezone.localdate())
    with acting_as(importer):
        result = hours_import.hours_import(
            unit=unit, user=importer, content=content, file_name=FILE_NAME
        )
    return result.record.rows


def _reports(unit: Organization, people: dict[str, User], by: User | None) -> int:
    if CommunityReport.objects.filter(unit=unit).exists():
        return 0
    year, quarter = community.last_complete_quarter()
    reported_on = community.quarter_start(year, quarter) - datetime.timedelta(days=45)
    made = 0
    with acting_as(by):
        for n, (username, place, rating, hours, note) in enumerate(REPORTS):
            person = people.get(username)
            if person is None:
                continue
            report = community.community_report(
                unit=unit,
                person=person,
                user=by,
                community=place,
                reported_on=reported_on - datetime.timedelta(days=7 * n),
            )
            community.community_feedback_record(
                report=report,
                user=by,
                year=year,
                quarter=quarter,
                rating=rating,
                hours=hours,
                note=note,
            )
            made += 1
    return made


def _pairing(campaign: Campaign, by: User | None) -> int:
    if Pairing.objects.filter(campaign=campaign).exists():
        return 0
    departments = Organization.objects.departments_of(campaign.unit, active_only=True)
    department = departments.filter(name=PAIRING_DEPARTMENT).first() or departments.first()
    if department is None:
        return 0
    with acting_as(by):
        pairing = community.pairing_create(
            campaign=campaign,
            user=by,
            department=department,
            partner=PAIRING_PARTNER,
            plan=PAIRING_PLAN,
            starts_on=campaign.cycle_start,
            visits_planned=4,
        )
    # The demo's 帮扶共建 activity went to this village: it is the pairing's first visit.
    Activity.objects.live().filter(
        campaign=campaign, kind=ActivityKind.PAIRING, pairing__isnull=True
    ).update(pairing=pairing)
    return 1


def load_demo_service(campaign: Campaign) -> dict[str, int]:
    """Add the demo's imported hours, 双报到 and pairing to `campaign`'s unit; returns how
    many of each were added (none when they are there already)."""
    unit = campaign.unit
    people = {u.username: u for u in unit_people(unit)}
    coordinator = people.get("cjb")
    return {
        "hours_rows": _hours(unit, people),
        "reports": _reports(unit, people, coordinator),
        "pairings": _pairing(campaign, coordinator),
    }
