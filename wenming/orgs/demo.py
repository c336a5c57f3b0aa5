"""Demo data: a fictional city office and one municipal bureau, one person per role.

Used by `make run` (through `wenming load_demo`) and by the tests' personas. Loading is
idempotent: a second run finds the office by its code and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from wenming.core import registry
from wenming.core.demo import DemoContext
from wenming.orgs.models import (
    LeadingGroupMember,
    LeadingGroupPosition,
    Membership,
    Organization,
    OrgKind,
    OrgLevel,
    Role,
    WorkingGroup,
)

DEMO_PASSWORD = "wenming2026"
OFFICE_CODE = "LZ-WMB"
SAMPLE_FRAMEWORK = (
    Path(__file__).resolve().parent.parent / "frameworks" / "data" / "sample_wmdw.yaml"
)

DEPARTMENTS = [
    ("办公室", "科室"),
    ("机关党委", "科室"),
    ("政策法规科", "科室"),
    ("登记注册科", "科室"),
    ("食品安全监管科", "科室"),
    ("药品医疗器械监管科", "科室"),
    ("质量发展科", "科室"),
    ("计量标准科", "科室"),
    ("人事教育科", "科室"),
    ("综合执法支队", "下属单位"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    org: str  # "office", "unit", or a department name
    title: str


ACCOUNTS = [
    DemoAccount("wmb_admin", "周建华", Role.OFFICE_ADMIN, "office", "市文明办创建科科长"),
    DemoAccount("cjb", "李文静", Role.COORDINATOR, "unit", "创建办主任"),
    DemoAccount("lingdao", "王国强", Role.LEADER, "unit", "局长"),
    DemoAccount("keshi", "张明", Role.DEPT_HEAD, "食品安全监管科", "科长"),
    DemoAccount("jingban", "陈晓燕", Role.STAFF, "食品安全监管科", "科员"),
    DemoAccount("keshi2", "孙伟", Role.DEPT_HEAD, "登记注册科", "科长"),
    DemoAccount("ducha", "赵立新", Role.INSPECTOR, "unit", "机关纪委书记"),
    DemoAccount("guancha", "刘芳", Role.OBSERVER, "unit", "行风监督员"),
]


def demo_exists() -> bool:
    return Organization.objects.filter(code=OFFICE_CODE).exists()


@transaction.atomic
def load_demo(*, with_campaign: bool = True) -> bool:
    """Create the demo organizations, people, sample framework and (unless told not to) the
    unit's campaign part way through. False if the demo is already there.

    Tests load it without the campaign and build the campaign they need themselves.
    """
    if demo_exists():
        return False
    province = Organization.objects.create(
        kind=OrgKind.OFFICE, name="示例省文明办", code="SL-WMB", level=OrgLevel.PROVINCE
    )
    office = Organization.objects.create(
        kind=OrgKind.OFFICE,
        parent=province,
        name="临州市文明办",
        code=OFFICE_CODE,
        level=OrgLevel.CITY,
    )
    Organization.objects.create(
        kind=OrgKind.OFFICE,
        parent=office,
        name="临州市江北区文明办",
        code="LZ-JB-WMB",
        level=OrgLevel.COUNTY,
    )
    unit = Organization.objects.create(
        kind=OrgKind.UNIT,
        parent=office,
        name="临州市市场监督管理局",
        short_name="市市场监管局",
        code="LZ-SCJG",
        unit_category="机关",
    )
    court = Organization.objects.create(
        kind=OrgKind.UNIT,
        parent=office,
        name="临州市中级人民法院",
        short_name="市中院",
        code="LZ-ZY",
        unit_category="法院",
    )
    for index, name in enumerate(["立案庭", "民事审判第一庭", "办公室"], start=1):
        Organization.objects.create(
            kind=OrgKind.DEPARTMENT,
            parent=court,
            name=name,
            department_type="庭室" if "庭" in name else "科室",
            sort_order=index,
        )
    departments = {}
    for index, (name, dtype) in enumerate(DEPARTMENTS, start=1):
        departments[name] = Organization.objects.create(
            kind=OrgKind.DEPARTMENT, parent=unit, name=name, department_type=dtype, sort_order=index
        )
    unit.campaign_office_host = departments["机关党委"]
    unit.save(update_fields=["campaign_office_host"])

    users = {}
    for account in ACCOUNTS:
        user = User.objects.create_user(
            username=account.username, password=DEMO_PASSWORD, first_name=account.name
        )
        users[account.username] = user
        org = {"office": office, "unit": unit}.get(account.org) or departments[account.org]
        Membership.objects.create(
            user=user, organization=org, role=account.role, title=account.title
        )

    # Leading group: the head, a deputy, and department heads as members.
    deputy = User.objects.create_user(
        username="fujuzhang", password=DEMO_PASSWORD, first_name="何志远"
    )
    Membership.objects.create(user=deputy, organization=unit, role=Role.LEADER, title="副局长")
    group = [
        (users["lingdao"], LeadingGroupPosition.HEAD, "局长，全面负责"),
        (deputy, LeadingGroupPosition.DEPUTY, "副局长，分管创建工作"),
        (users["cjb"], LeadingGroupPosition.MEMBER, "创建办主任"),
        (users["keshi"], LeadingGroupPosition.MEMBER, "食品安全监管科科长"),
        (users["keshi2"], LeadingGroupPosition.MEMBER, "登记注册科科长"),
    ]
    # 分管: the deputy is in charge of the departments doing most of the work; overdue work
    # there reaches him too.
    in_charge = {deputy.pk: ["办公室", "机关党委", "食品安全监管科", "登记注册科"]}
    for order, (user, position, duty) in enumerate(group):
        member = LeadingGroupMember.objects.create(
            unit=unit, user=user, position=position, duty=duty, sort_order=order
        )
        member.departments.set([departments[name] for name in in_charge.get(user.pk, [])])
    for name, duties, leader, members in [
        ("综合组", "统筹协调、督查通报、会议组织", users["cjb"], [users["ducha"]]),
        ("材料组", "台账收集整理、申报材料", users["jingban"], [users["keshi"]]),
        ("行政组", "环境整治、后勤保障", users["keshi2"], []),
    ]:
        wg = WorkingGroup.objects.create(unit=unit, name=name, duties=duties, leader=leader)
        wg.members.set(members)

    # The apps above add their parts (sample framework, campaign, tasks, ledger, ...).
    context = DemoContext(office=office, unit=unit, users=users, with_campaign=with_campaign)
    for step in registry.extensions("demo.load"):
        step(context)
    return True
