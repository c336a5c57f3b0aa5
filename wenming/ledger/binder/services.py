"""Asking for a binder: check the scope against what the person may bind, then queue it."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from wenming.campaigns.models import Campaign
from wenming.frameworks.models import Node
from wenming.ledger import access
from wenming.ledger.models import BinderExport, ExportFormat
from wenming.orgs.models import Organization, OrgKind


def allowed_departments(user: User, campaign: Campaign) -> list[Organization] | None:
    """None: the whole unit; else the departments of this unit the person may bind."""
    mine = access.export_departments(user, campaign)
    if mine is None:
        return None
    return list(
        mine.filter(kind=OrgKind.DEPARTMENT, path__startswith=campaign.unit.path).order_by(
            "sort_order", "id"
        )
    )


def export_request(
    *,
    campaign: Campaign,
    user: User,
    format: str,
    department: Organization | None = None,
    year: int | None = None,
    standards: Iterable[Node] = (),
    approved_only: bool = False,
) -> BinderExport:
    """Record the request and queue the build; raises ValidationError with a Chinese message."""
    from wenming.ledger.binder.tasks import build_binder

    if format not in ExportFormat.values:
        raise ValidationError("请选择导出格式：PDF台账汇编或ZIP文件夹。")
    allowed = allowed_departments(user, campaign)
    if department is not None and not (
        department.kind == OrgKind.DEPARTMENT and department.path.startswith(campaign.unit.path)
    ):
        raise ValidationError(f"“{department.name}”不是{campaign.unit.name}的部门，请重新选择。")
    if allowed is not None:
        if not allowed:
            raise ValidationError("您不属于本单位任何部门，不能导出台账。")
        if department is None:
            raise ValidationError("您只能导出本部门的台账，请在“部门”中选择您所在的部门。")
        if department.pk not in {d.pk for d in allowed}:
            raise ValidationError(
                f"您只能导出本部门的台账，不能导出“{department.name}”的台账，请重新选择。"
            )
    chosen = list(standards)
    wrong = [n for n in chosen if n.framework_id != campaign.framework_id or not n.is_leaf]
    if wrong:
        raise ValidationError(
            f"“{wrong[0].code}”不是本次创建测评体系中的测评标准，请只勾选测评标准。"
        )
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError("年度不正确，请从列表中选择。")

    with transaction.atomic():
        export = BinderExport.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            format=format,
            department=department,
            year=year,
            approved_only=approved_only,
            requested_by=user,
            stage="排队中，稍候开始生成",
        )
        if chosen:
            export.standards.set(chosen)
    # Queued after the row is committed, so a worker never looks for a row it cannot see.
    build_binder.enqueue(export.pk)
    return export
