"""Eligibility from the batch's rules as data, each with its Chinese reason."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.applications.conftest import FORM, TODAY

pytestmark = pytest.mark.django_db


def _results(batch: Any, entry: Any, **kwargs: Any) -> dict[str, Any]:
    from wenming.applications.services import check_eligibility

    return {r.kind: r for r in check_eligibility(batch=batch, entry=entry, **kwargs)}


def _honour(entry: Any, user: Any, **fields: Any) -> Any:
    from wenming.registry import services

    args = {"title": "县级文明单位", "level": "county", "year_named": 2025, **fields}
    args.setdefault("status_on", min(datetime.date(args["year_named"], 12, 20), TODAY))
    return services.honour_add(entry=entry, user=user, **args)


@pytest.fixture
def bare_entry(demo, office_admin):  # type: ignore[no-untyped-def]
    """The court, in the registry with no honour at all."""
    from wenming.registry import services

    return services.entry_register(
        office=demo["office"], user=office_admin, unit=demo["court"], staff_count=80
    )


def test_an_eligible_unit_passes_every_rule_with_its_label(batch, entry):
    results = _results(batch, entry)
    assert list(results) == ["holds_lower", "min_staff", "no_veto", "not_banned", "not_held"]
    assert all(r.ok and r.reason == "" for r in results.values())
    assert results["holds_lower"].label == "连续2年保持县级称号"
    assert results["min_staff"].label == "职工人数不少于30人"


# --- holds_lower -------------------------------------------------------------------------------


def test_holds_lower_refuses_a_unit_without_the_lower_title(batch, bare_entry):
    result = _results(batch, bare_entry)["holds_lower"]
    assert not result.ok
    assert result.reason == "需2025—2026年连续保持县级称号，本单位名录中没有县级称号"


def test_holds_lower_counts_consecutive_years_up_to_the_batch_year(batch, bare_entry, office_admin):
    _honour(bare_entry, office_admin, year_named=2022, term_years=3)  # 2022–2024
    result = _results(batch, bare_entry)["holds_lower"]
    assert not result.ok
    assert "本单位截至2026年仅连续保持0年" in result.reason
    _honour(bare_entry, office_admin, year_named=2026, term_years=3)
    result = _results(batch, bare_entry)["holds_lower"]
    assert not result.ok and "仅连续保持1年" in result.reason
    _honour(bare_entry, office_admin, title="县级文明单位标兵", year_named=2025, term_years=2)
    assert _results(batch, bare_entry)["holds_lower"].ok


def test_holds_lower_counts_a_revoked_honour_only_before_its_revocation(
    batch, bare_entry, office_admin
):
    from wenming.registry import services

    honour = _honour(bare_entry, office_admin, year_named=2024, term_years=3)
    assert _results(batch, bare_entry)["holds_lower"].ok
    services.revoke(
        honour=honour,
        user=office_admin,
        decided_on=datetime.date(2026, 3, 1),
        reason="发生重大安全事故",
        document_title="临文明委〔2026〕2号",
        ban_years=0,
    )
    result = _results(batch, bare_entry)["holds_lower"]
    assert not result.ok and "仅连续保持0年" in result.reason


def test_holds_lower_counts_an_ended_honour_up_to_the_year_it_ended(
    batch, bare_entry, office_admin
):
    from wenming.registry import services

    honour = _honour(bare_entry, office_admin, year_named=2024, term_years=3)
    services.honour_change_status(
        honour=honour,
        user=office_admin,
        to_status="expired",
        decided_on=datetime.date(2025, 12, 31),
        reason="提前期满",
        document_title="临文明委〔2025〕9号",
    )
    result = _results(batch, bare_entry)["holds_lower"]
    assert not result.ok and "仅连续保持0年" in result.reason


def test_holds_lower_accepts_a_higher_level_held(batch, bare_entry, office_admin):
    _honour(bare_entry, office_admin, title="市级文明校园", level="city", year_named=2024)
    assert _results(batch, bare_entry)["holds_lower"].ok


# --- min_staff ---------------------------------------------------------------------------------


def test_min_staff_reads_the_form_then_the_registry(batch, entry):
    assert not _results(batch, entry, staff_count=20)["min_staff"].ok
    assert _results(batch, entry, staff_count=20)["min_staff"].reason == (
        "职工人数须不少于30人，本单位为20人"
    )
    assert _results(batch, entry)["min_staff"].ok  # 420 in the registry
    entry.staff_count = None
    result = _results(batch, entry)["min_staff"]
    assert not result.ok and "请在申报表中填写职工人数" in result.reason


def test_min_staff_refusal_is_under_the_staff_count_field(batch, entry, demo, coordinator):
    from wenming.applications import services

    with pytest.raises(ValidationError) as exc:
        services.application_submit(
            batch=batch, unit=demo["unit"], user=coordinator, **{**FORM, "staff_count": 12}
        )
    assert exc.value.message_dict["staff_count"] == [
        "不符合申报条件：职工人数须不少于30人，本单位为12人。"
    ]


# --- no_veto -----------------------------------------------------------------------------------


def _negative(entry: Any, user: Any, day: datetime.date, *, veto: bool = True) -> Any:
    from wenming.registry import services

    return services.negative_event_record(
        entry=entry,
        user=user,
        what="发生重大安全生产事故",
        occurred_on=day,
        source="superior",
        is_veto=veto,
    )


def test_no_veto_refuses_a_veto_event_in_the_look_back_window(batch, entry, office_admin):
    _negative(entry, office_admin, datetime.date(2025, 4, 2))
    result = _results(batch, entry)["no_veto"]
    assert not result.ok
    assert result.reason == "2025年发生一票否决事项，追溯期内不得申报"


def test_no_veto_ignores_older_withdrawn_and_ordinary_events(batch, entry, office_admin):
    from wenming.registry import services

    _negative(entry, office_admin, datetime.date(2024, 12, 31))  # before 2025-01-01
    _negative(entry, office_admin, datetime.date(2026, 2, 1), veto=False)
    withdrawn = _negative(entry, office_admin, datetime.date(2026, 3, 1))
    services.negative_event_withdraw(event=withdrawn, user=office_admin, reason="经核实不属实")
    assert _results(batch, entry)["no_veto"].ok


def test_an_ineligible_unit_is_refused_with_the_reason(
    batch, entry, demo, coordinator, office_admin
):
    from wenming.applications import services
    from wenming.applications.models import Application

    _negative(entry, office_admin, datetime.date(2025, 4, 2))
    with pytest.raises(ValidationError) as exc:
        services.application_submit(batch=batch, unit=demo["unit"], user=coordinator, **FORM)
    assert exc.value.messages == ["不符合申报条件：2025年发生一票否决事项，追溯期内不得申报。"]
    assert not Application.objects.exists()


# --- not_banned --------------------------------------------------------------------------------


def test_not_banned_refuses_during_the_ban_after_a_revocation(batch, entry, office_admin):
    from wenming.registry import services

    honour = _honour(entry, office_admin, title="市级文明单位", level="city", year_named=2023)
    services.revoke(
        honour=honour,
        user=office_admin,
        decided_on=datetime.date(2025, 11, 3),
        reason="出现严重滑坡",
        document_title="临文明委〔2025〕11号",
        ban_years=1,
    )
    result = _results(batch, entry)["not_banned"]
    assert not result.ok
    assert result.reason == "因2025年被撤销称号，2026年12月31日前不得申报"
    assert _results(batch, entry, day=datetime.date(2027, 1, 1))["not_banned"].ok


# --- not_held ----------------------------------------------------------------------------------


def test_not_held_refuses_the_same_honour_at_this_level_or_higher(batch, entry, office_admin):
    _honour(entry, office_admin, title="省级文明单位", level="province", year_named=2025)
    result = _results(batch, entry)["not_held"]
    assert not result.ok
    assert "已持有2025年命名的“省级文明单位”称号" in result.reason
    assert "同一称号只按最高级别计" in result.reason


def test_not_held_allows_another_honour_a_lower_level_and_a_past_term(batch, entry, office_admin):
    _honour(entry, office_admin, title="市级文明校园", level="city", year_named=2025)
    _honour(entry, office_admin, title="市级文明单位", level="city", year_named=2021)  # to 2023
    # The county 文明单位 of the fixture is lower: it is what the rule asks for, not a bar.
    assert _results(batch, entry)["not_held"].ok


def test_rules_are_data_a_batch_without_rules_admits_everyone(demo, office_admin, bare_entry):
    from tests.applications.conftest import BATCH
    from wenming.applications import services

    open_batch = services.batch_create(office=demo["office"], user=office_admin, rules=[], **BATCH)
    assert services.check_eligibility(batch=open_batch, entry=bare_entry, day=TODAY) == []
