"""The organization tree (R1): civilization offices above units, units holding departments.

Who may see and change what is decided in `wenming.orgs.access`, never here.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OrgKind(models.TextChoices):
    OFFICE = "office", "文明办"
    UNIT = "unit", "单位"
    DEPARTMENT = "department", "部门"


class OrgLevel(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    OTHER = "other", "其他"


class DepartmentType(models.TextChoices):
    SECTION = "科室", "科室"
    COURT_DIVISION = "庭室", "庭室"
    COMMITTEE_OFFICE = "委室", "委室"
    SUBORDINATE = "下属单位", "下属单位"
    OTHER = "其他", "其他"


# Which kind of organization each kind may be placed under.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.OFFICE: {None, OrgKind.OFFICE},
    OrgKind.UNIT: {OrgKind.OFFICE},
    OrgKind.DEPARTMENT: {OrgKind.UNIT, OrgKind.DEPARTMENT},
}


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def departments_of(
        self, unit: Organization, *, active_only: bool = False
    ) -> OrganizationQuerySet:
        """The departments of `unit` (科室, 庭室, 下属单位...), defined once: every check that a
        department belongs to a unit goes through here. Inactive ones are included unless
        `active_only`, since their past work still counts."""
        qs = self.filter(kind=OrgKind.DEPARTMENT, path__startswith=unit.path).exclude(pk=unit.pk)
        return qs.filter(is_active=True) if active_only else qs


class Organization(models.Model):
    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path of ids ("/1/4/9/"): subtree queries are one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    code = models.CharField(
        "编码",
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text="文明办或单位的识别编码，如 LZ-WMB；部门可不填。",
    )
    level = models.CharField("级别", max_length=16, choices=OrgLevel.choices, blank=True)
    unit_category = models.CharField(
        "单位类别", max_length=40, blank=True, help_text="如 机关、法院、事业单位、国有企业"
    )
    department_type = models.CharField(
        "部门类型", max_length=16, choices=DepartmentType.choices, blank=True
    )
    # The department that hosts a unit's campaign office (创建办).
    campaign_office_host = models.ForeignKey(
        "self",
        verbose_name="创建办设在",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
            models.CheckConstraint(
                condition=Q(kind="office") | Q(parent__isnull=False),
                name="org_only_offices_at_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        creating = self.pk is None
        super().save(*args, **kwargs)
        expected = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if creating or self.path != expected:
            self.path = expected
            self.depth = expected.count("/") - 2
            type(self).objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    @property
    def is_office(self) -> bool:
        return self.kind == OrgKind.OFFICE

    @property
    def is_unit(self) -> bool:
        return self.kind == OrgKind.UNIT

    @property
    def is_department(self) -> bool:
        return self.kind == OrgKind.DEPARTMENT

    def subtree(self) -> models.QuerySet[Organization]:
        return Organization.objects.filter(path__startswith=self.path)

    def active_departments(self) -> models.QuerySet[Organization]:
        """The active departments below this unit, in the order the organization screens use."""
        return Organization.objects.departments_of(self, active_only=True).order_by(
            "sort_order", "path"
        )


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", "文明办管理员"
    COORDINATOR = "coordinator", "创建办"
    LEADER = "leader", "单位领导"
    DEPT_HEAD = "dept_head", "部门负责人"
    STAFF = "staff", "经办人"
    INSPECTOR = "inspector", "督查员"
    OBSERVER = "observer", "观察员"


# Where each role may be held.
ROLE_ORG_KINDS: dict[str, set[str]] = {
    Role.OFFICE_ADMIN: {OrgKind.OFFICE},
    Role.COORDINATOR: {OrgKind.UNIT},
    Role.LEADER: {OrgKind.UNIT},
    Role.DEPT_HEAD: {OrgKind.DEPARTMENT},
    Role.STAFF: {OrgKind.DEPARTMENT},
    Role.INSPECTOR: {OrgKind.OFFICE, OrgKind.UNIT},
    Role.OBSERVER: {OrgKind.OFFICE, OrgKind.UNIT},
}


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization, verbose_name="所在组织", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    title = models.CharField("职务", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(is_active=True),
                name="membership_unique_active_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


class LeadingGroupPosition(models.TextChoices):
    HEAD = "head", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


class LeadingGroupMember(models.Model):
    """A member of a unit's 创建工作领导小组."""

    unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="leading_group",
        limit_choices_to={"kind": OrgKind.UNIT},
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT
    )
    position = models.CharField("职位", max_length=10, choices=LeadingGroupPosition.choices)
    duty = models.CharField("职务/分工", max_length=100, blank=True)
    # 分管: the departments this member is in charge of; overdue work there reaches them.
    departments = models.ManyToManyField(
        Organization,
        verbose_name="分管部门",
        blank=True,
        related_name="leaders_in_charge",
        limit_choices_to={"kind": OrgKind.DEPARTMENT},
    )
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "user"],
                condition=Q(is_active=True),
                name="leading_group_unique_active_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.user}"


class WorkingGroup(models.Model):
    """A working group under a unit's campaign office (综合组、材料组、行政组...)."""

    unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="working_groups",
        limit_choices_to={"kind": OrgKind.UNIT},
    )
    name = models.CharField("名称", max_length=40)
    duties = models.TextField("职责", blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="组长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="成员", blank=True, related_name="working_groups"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "工作组"
        verbose_name_plural = "工作组"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                condition=Q(is_active=True),
                name="working_group_unique_active_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the raw value is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=60, blank=True)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: models.Model, name: str = "") -> tuple[ApiToken, str]:
        prefix = secrets.token_hex(4)
        raw = f"wm_{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(user=user, name=name, prefix=prefix, key_hash=_hash_token(raw))
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> ApiToken | None:
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is not None:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class CalendarDayQuerySet(models.QuerySet["CalendarDay"]):
    def live(self) -> CalendarDayQuerySet:
        return self.filter(removed_at__isnull=True)


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday rule in an office's calendar: a public holiday
    on a weekday (放假) or a weekend day worked in exchange (调休上班).

    An office keeps one calendar; its units and everything that counts working days (公示
    periods, deadlines in working days) read it through `wenming.orgs.calendar`.
    """

    office = models.ForeignKey(
        Organization,
        verbose_name="文明办",
        on_delete=models.PROTECT,
        related_name="calendar_days",
        limit_choices_to={"kind": OrgKind.OFFICE},
    )
    day = models.DateField("日期")
    working = models.BooleanField(
        "调休上班", default=False, help_text="勾选：周末上班；不勾选：放假"
    )
    name = models.CharField("名称", max_length=40, help_text="如：春节、国庆节调休上班")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day"],
                condition=Q(removed_at__isnull=True),
                name="calendar_day_once_per_office",
            )
        ]

    def __str__(self) -> str:
        kind = "调休上班" if self.working else "放假"
        return f"{self.day:%Y-%m-%d} {self.name}（{kind}）"
