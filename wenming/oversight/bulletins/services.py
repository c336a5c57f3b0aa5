"""Bulletins (通报, R7): the month's praise and criticism, drafted from the data.

`bulletin_draft` writes a draft from the figures (`facts.bulletin_facts`) in the wording of
a 通报; the office edits the text, then issues it (`bulletin_issue`), after which it is
read-only. `document.bulletin_docx` prints it as a 公文. Writes follow the services' habits:
keyword-only, one transaction, Chinese `ValidationError`s.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.oversight.bulletins.facts import bulletin_facts, month_day, period_label
from wenming.oversight.models import Bulletin, BulletinStatus

ISSUED_READ_ONLY = "通报已印发，不能修改。如需更正，请另发更正通报。"
REPLY_DAYS = 7


# --- the draft ------------------------------------------------------------------------------


def bulletin_title(campaign: Campaign, start: datetime.date, end: datetime.date) -> str:
    return (
        f"关于{period_label(start, end)}{campaign.target_kind or '文明单位'}创建工作推进情况的通报"
    )


def issuer_name(campaign: Campaign) -> str:
    return f"{campaign.unit.name}创建工作领导小组办公室"


def suggested_number(campaign: Campaign, year: int) -> str:
    unit = campaign.unit
    count = Bulletin.objects.live().filter(unit=unit, created_at__year__gte=year).count()
    return f"{unit.short_name or unit.name}创〔{year}〕{count + 1}号"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole, 1):g}%" if whole else "—"


def draft_texts(
    campaign: Campaign, facts: dict[str, Any], *, reply_by: datetime.date
) -> dict[str, str]:
    """The five text parts of a bulletin, written from the facts."""
    start = datetime.date.fromisoformat(facts["period"]["start"])
    end = datetime.date.fromisoformat(facts["period"]["end"])
    label = period_label(start, end)
    t = facts["totals"]
    goal = f"{campaign.target_kind or '文明单位'}创建"
    opening = (
        f"为推动{goal}各项工作落地落实，创建办对{label}各部门任务完成、周报报送和督查问题整改"
        "情况进行了汇总梳理。现将有关情况通报如下："
    )
    summary = (
        f"{label}，全单位到期任务{t['tasks_due']}项，按时完成{t['tasks_on_time']}项，"
        f"按时完成率{_percent(t['tasks_on_time'], t['tasks_due'])}；"
        f"应报送周报{t['reports_expected']}次，实际报送{t['reports_submitted']}次；"
        f"督查发现问题{t['problems_found']}个，已整改销号{t['problems_closed']}个，"
        f"逾期未整改问题{t['problems_overdue']}个。"
    )
    if facts["praise"]:
        names = "、".join(facts["praise"])
        praise = (
            f"{names}{'等' + str(len(facts['praise'])) + '个部门' if len(facts['praise']) > 1 else ''}"
            "高度重视创建工作，责任落实到位，到期任务全部按时完成，每周按时报送工作进展，"
            "督查发现的问题按期整改到位。对以上部门提出表扬。"
        )
    else:
        praise = "本期没有各项工作均按时完成的部门，暂不提出表扬。"
    if facts["criticism"]:
        lines = [
            f"{i}.{c['department']}：{c['text']}。" for i, c in enumerate(facts["criticism"], 1)
        ]
        criticism = "\n".join(
            ["以下部门工作推进不力，存在任务逾期、周报未按时报送或问题整改不及时等情况：", *lines]
            + ["对以上部门予以通报批评。"]
        )
    else:
        criticism = "本期各部门均按时完成到期任务、按时报送周报，未发现逾期未整改的问题。"
    if facts["problems"]:
        problems = f"{label}督查共发现问题{t['problems_found']}个，问题清单如下。"
    else:
        problems = f"{label}督查未发现新的问题。"
    requirements = "\n".join(
        [
            "（一）认真整改落实。请被通报部门认真分析原因，明确责任人和完成时限，"
            f"于{month_day(reply_by)}前将整改情况书面报创建办。",
            "（二）严格落实周报制度。各部门要于每周一前报送上周工作进展，"
            "如实反映任务推进情况和存在问题，不得迟报、漏报。",
            "（三）加快问题整改。各责任部门要对照问题清单逐条整改，整改完成后及时上传整改佐证，"
            "做到整改一个、销号一个；逾期未整改的问题，创建办将跟踪督办。",
            "（四）持续对标推进。各部门要对照测评体系和任务分工，倒排工期、压实责任，"
            "确保各项任务按时保质完成。创建办将继续加强督促检查，定期通报工作进展。",
        ]
    )
    return {
        "opening": f"{opening}\n{summary}",
        "praise": praise,
        "criticism": criticism,
        "problems": problems,
        "requirements": requirements,
    }


def bulletin_draft(
    *, campaign: Campaign, user: User, start: datetime.date | None, end: datetime.date | None
) -> Bulletin:
    """Generate a draft bulletin on the period from the data."""
    errors: dict[str, str] = {}
    if start is None:
        errors["period_start"] = "请填写通报期间的开始日期。"
    if end is None:
        errors["period_end"] = "请填写通报期间的结束日期。"
    if start and end and end < start:
        errors["period_end"] = "通报期间的结束日期不能早于开始日期，请重新选择。"
    if start and start > timezone.localdate():
        errors["period_start"] = "通报期间还没有开始，请选择已经过去的期间。"
    if errors or start is None or end is None:
        raise ValidationError(errors)
    today = timezone.localdate()
    facts = bulletin_facts(campaign, start, end)
    texts = draft_texts(campaign, facts, reply_by=today + datetime.timedelta(days=REPLY_DAYS))
    with transaction.atomic():
        return Bulletin.objects.create(
            campaign=campaign,
            unit=campaign.unit,
            number=suggested_number(campaign, today.year),
            title=bulletin_title(campaign, start, end),
            period_start=start,
            period_end=end,
            issuer=issuer_name(campaign),
            facts=facts,
            created_by=user,
            **texts,
        )


# --- writes ---------------------------------------------------------------------------------


def _check_draft(bulletin: Bulletin) -> None:
    if bulletin.removed_at is not None:
        raise ValidationError("该通报已删除，请刷新页面。")
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(ISSUED_READ_ONLY)


def _locked_draft(bulletin: Bulletin) -> Bulletin:
    locked = Bulletin.objects.select_for_update().filter(pk=bulletin.pk).first()
    if locked is None:
        raise ValidationError("该通报已删除，请刷新页面。")
    _check_draft(locked)
    return locked


def bulletin_update(
    *,
    bulletin: Bulletin,
    user: User,
    title: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    number: str = "",
    issuer: str = "",
    opening: str = "",
    praise: str = "",
    criticism: str = "",
    problems: str = "",
    requirements: str = "",
) -> Bulletin:
    """Save the office's edits of a draft; an issued bulletin is never changed."""
    _check_draft(bulletin)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写通报标题，例如“关于2026年10月文明单位创建工作推进情况的通报”。"
    if not issuer.strip():
        errors["issuer"] = "请填写发文机关，例如“××局创建工作领导小组办公室”。"
    if period_start is None:
        errors["period_start"] = "请填写通报期间的开始日期。"
    if period_end is None:
        errors["period_end"] = "请填写通报期间的结束日期。"
    elif period_start is not None and period_end < period_start:
        errors["period_end"] = "通报期间的结束日期不能早于开始日期，请重新选择。"
    if errors:
        raise ValidationError(errors)
    values = {
        "title": title.strip(),
        "number": number.strip(),
        "issuer": issuer.strip(),
        "period_start": period_start,
        "period_end": period_end,
        "opening": opening.strip(),
        "praise": praise.strip(),
        "criticism": criticism.strip(),
        "problems": problems.strip(),
        "requirements": requirements.strip(),
    }
    with transaction.atomic():
        locked = _locked_draft(bulletin)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*values, "updated_at"])
    bulletin.refresh_from_db()
    return bulletin


def bulletin_issue(
    *, bulletin: Bulletin, user: User, issued_on: datetime.date | None = None
) -> Bulletin:
    """印发: the bulletin gets its date and becomes read-only and visible to the unit."""
    _check_draft(bulletin)
    errors: dict[str, str] = {}
    if not bulletin.number.strip():
        errors["number"] = "请先填写文号（如“市市场监管局创〔2026〕5号”）再印发。"
    if not bulletin.title.strip():
        errors["title"] = "请先填写通报标题再印发。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_draft(bulletin)
        locked.status = BulletinStatus.ISSUED
        locked.issued_on = issued_on or timezone.localdate()
        locked.issued_by = user
        locked.issued_at = timezone.now()
        locked.save(update_fields=["status", "issued_on", "issued_by", "issued_at", "updated_at"])
    bulletin.refresh_from_db()
    return bulletin


def bulletin_remove(*, bulletin: Bulletin, user: User) -> None:
    """Take a draft out of the list (kept in the database); issued bulletins stay."""
    with transaction.atomic():
        locked = _locked_draft(bulletin)
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at", "updated_at"])
