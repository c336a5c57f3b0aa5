"""The schemas of the applications API (`wenming.applications.api`): what each route reads
and writes, with the column lengths of the models."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Count
from ninja import Field, Schema

from wenming.applications.eligibility import rule_label
from wenming.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Batch,
    EligibilityRule,
    Objection,
    Opinion,
    OpinionBody,
    RuleKind,
    SnapshotFile,
    SnapshotItem,
)
from wenming.core.api_input import Input, column_length
from wenming.registry.models import Level


def person_name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else "系统"


# --- output ----------------------------------------------------------------------------------


class RuleOut(Schema):
    kind: str = Field(description="、".join(RuleKind.values))
    label: str
    level: str
    years: int | None
    number: int | None

    @staticmethod
    def resolve_label(obj: EligibilityRule) -> str:
        return rule_label(obj)


class BatchOut(Schema):
    id: int
    office_id: int
    office_name: str
    year: int
    title: str
    honour_title: str
    level: str
    level_label: str
    term_years: int
    batch_label: str
    opens_on: datetime.date
    closes_on: datetime.date
    quota: int
    framework_id: int | None
    summary_limit: int
    publicity_days: int
    named_on: datetime.date | None
    decision_title: str

    @staticmethod
    def resolve_office_name(obj: Batch) -> str:
        return obj.office.name

    @staticmethod
    def resolve_level_label(obj: Batch) -> str:
        return obj.get_level_display()


class BatchDetailOut(BatchOut):
    materials: str
    note: str
    rules: list[RuleOut]
    counts: dict[str, int] = Field(description="各状态的申报数")
    named_count: int = Field(description="已命名数（占用名额）")

    @staticmethod
    def resolve_rules(obj: Batch) -> list[EligibilityRule]:
        return list(obj.rules.all())

    @staticmethod
    def resolve_counts(obj: Batch) -> dict[str, int]:
        rows = obj.applications.values("status").annotate(n=Count("pk")).order_by()
        return {row["status"]: row["n"] for row in rows}

    @staticmethod
    def resolve_named_count(obj: Batch) -> int:
        return obj.applications.filter(status=ApplicationStatus.NAMED).count()


class RuleResultOut(Schema):
    kind: str
    label: str
    ok: bool
    reason: str


class ApplicationOut(Schema):
    id: int
    batch_id: int
    batch_title: str
    unit_id: int
    unit_name: str
    entry_id: int
    status: str = Field(description="、".join(ApplicationStatus.values))
    status_label: str
    self_total: Decimal | None
    field_score: Decimal | None
    survey_rate: Decimal | None
    submitted_at: datetime.datetime | None
    supplement_deadline: datetime.date | None
    publicity_starts_on: datetime.date | None
    publicity_ends_on: datetime.date | None
    honour_id: int | None

    @staticmethod
    def resolve_batch_title(obj: Application) -> str:
        return obj.batch.title

    @staticmethod
    def resolve_unit_name(obj: Application) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return obj.get_status_display()


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    comment: str
    actor: str
    at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: ApplicationEvent) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor(obj: ApplicationEvent) -> str:
        return person_name(obj.actor)


class OpinionOut(Schema):
    id: int
    body: str
    body_label: str
    body_name: str
    adverse: bool
    content: str
    received_on: datetime.date

    @staticmethod
    def resolve_body_label(obj: Opinion) -> str:
        return obj.get_body_display()


class ObjectionOut(Schema):
    id: int
    application_id: int
    received_on: datetime.date
    content: str
    answer: str
    answered_on: datetime.date | None
    upheld: bool


class ApplicationDetailOut(ApplicationOut):
    principal_name: str
    contact_name: str
    contact_phone: str
    address: str
    staff_count: int
    party_member_count: int | None
    volunteer_count: int | None
    basic_facts: str
    summary: str
    self_round_id: int | None
    field_round_id: int | None
    assessor_ids: list[int]
    survey_note: str
    eligibility: list[RuleResultOut]
    frozen_at: datetime.datetime | None
    snapshot_item_count: int
    events: list[EventOut] = Field(description="每一步及其说明，早的在前；单位可见")
    opinions: list[OpinionOut] | None = Field(description="征求意见；仅文明办人员可见")
    objections: list[ObjectionOut] | None = Field(description="公示异议；仅文明办人员可见")

    @staticmethod
    def resolve_assessor_ids(obj: Application) -> list[int]:
        return [u.pk for u in obj.assessors.all()]

    @staticmethod
    def resolve_snapshot_item_count(obj: Application) -> int:
        return obj.snapshot_items.count()

    @staticmethod
    def resolve_events(obj: Application) -> list[ApplicationEvent]:
        return list(obj.events.select_related("actor"))

    @staticmethod
    def resolve_opinions(obj: Application) -> list[Opinion] | None:
        return getattr(obj, "office_opinions", None)

    @staticmethod
    def resolve_objections(obj: Application) -> list[Objection] | None:
        return getattr(obj, "office_objections", None)


class SnapshotFileOut(Schema):
    id: int
    original_name: str
    position: int


class SnapshotItemOut(Schema):
    id: int
    item_id: int
    title: str
    department_name: str
    activity_date: datetime.date | None
    summary: str
    result: str
    status: str
    standard_ids: list[int]
    files: list[SnapshotFileOut]

    @staticmethod
    def resolve_files(obj: SnapshotItem) -> list[SnapshotFile]:
        return list(obj.files.all())


# --- input -----------------------------------------------------------------------------------


class RuleIn(Schema):
    kind: str = Field(description="、".join(RuleKind.values))
    level: str = Field("", description="holds_lower：要求连续保持的级别")
    years: int | None = Field(None, description="holds_lower：连续年数；no_veto：追溯年数")
    number: int | None = Field(None, description="min_staff：职工人数下限")


class BatchIn(Input):
    office_id: int | None = Field(None, description="文明办；不填为您管理的最上级文明办")
    year: int
    title: str = Field(max_length=column_length(Batch, "title"))
    honour_title: str = Field(max_length=column_length(Batch, "honour_title"))
    level: str = Field(description="、".join(Level.values))
    term_years: int = Field(3, description="2、3 或 5")
    batch_label: str = Field("", max_length=column_length(Batch, "batch_label"))
    opens_on: datetime.date
    closes_on: datetime.date
    quota: int
    materials: str = ""
    framework_id: int | None = None
    summary_limit: int = 3000
    publicity_days: int = 5
    note: str = ""
    rules: list[RuleIn] = []


class BatchPatch(Input):
    year: int | None = None
    title: str | None = Field(None, max_length=column_length(Batch, "title"))
    honour_title: str | None = Field(None, max_length=column_length(Batch, "honour_title"))
    level: str | None = None
    term_years: int | None = None
    batch_label: str | None = Field(None, max_length=column_length(Batch, "batch_label"))
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    quota: int | None = None
    materials: str | None = None
    framework_id: int | None = None
    summary_limit: int | None = None
    publicity_days: int | None = None
    note: str | None = None
    rules: list[RuleIn] | None = Field(None, description="给出时整体替换申报条件")


class FormIn(Input):
    principal_name: str = Field(max_length=column_length(Application, "principal_name"))
    contact_name: str = Field(max_length=column_length(Application, "contact_name"))
    contact_phone: str = Field(max_length=column_length(Application, "contact_phone"))
    address: str = Field("", max_length=column_length(Application, "address"))
    staff_count: int = Field(ge=0)
    party_member_count: int | None = Field(None, ge=0)
    volunteer_count: int | None = Field(None, ge=0)
    basic_facts: str = ""
    summary: str = Field(description="创建工作总结；字数上限由批次规定")


class SubmitIn(FormIn):
    batch_id: int
    unit_id: int | None = Field(None, description="申报单位；不填为您任创建办的单位")


class ResubmitIn(Input):
    principal_name: str | None = Field(
        None, max_length=column_length(Application, "principal_name")
    )
    contact_name: str | None = Field(None, max_length=column_length(Application, "contact_name"))
    contact_phone: str | None = Field(None, max_length=column_length(Application, "contact_phone"))
    address: str | None = Field(None, max_length=column_length(Application, "address"))
    staff_count: int | None = Field(None, ge=0)
    party_member_count: int | None = Field(None, ge=0)
    volunteer_count: int | None = Field(None, ge=0)
    basic_facts: str | None = None
    summary: str | None = None


class ReasonIn(Input):
    reason: str = Field(max_length=1000)


class CommentIn(Input):
    comment: str = ""


class ReturnIn(Input):
    comment: str = ""
    deadline: datetime.date | None = Field(None, description="补充材料截止日期")


class FieldRoundIn(Input):
    scored_on: datetime.date
    assessor_ids: list[int] = Field(description="测评人员（文明办人员）")


class AssessmentIn(Input):
    survey_rate: Decimal | None = Field(None, description="群众满意率（%）")
    survey_note: str = ""
    field_score: Decimal | None = Field(None, description="未在平台打分时必填")
    comment: str = ""


class OpinionIn(Input):
    body: str = Field(description="、".join(OpinionBody.values))
    body_name: str = Field("", max_length=column_length(Opinion, "body_name"))
    adverse: bool = Field(False, description="有否决意见：申报即不予通过")
    content: str
    received_on: datetime.date


class PublicityIn(Input):
    starts_on: datetime.date
    application_ids: list[int]


class ObjectionIn(Input):
    received_on: datetime.date
    content: str


class AnswerIn(Input):
    answer: str
    answered_on: datetime.date
    upheld: bool = Field(False, description="异议成立：不予命名")


class NameIn(Input):
    named_on: datetime.date
    decision_title: str = Field(
        "",
        max_length=column_length(Batch, "decision_title"),
        description="命名决定文号或标题（必填）",
    )
    application_ids: list[int]


class NameOut(Schema):
    batch: BatchDetailOut
    honour_ids: list[int]
