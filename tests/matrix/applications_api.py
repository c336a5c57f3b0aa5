"""The applications API (/api/v1/applications) in the permission matrix.

The targets are batches of 临州市文明办, open today, without rules, each holding one
application of the market bureau at the step a route acts on. Readers of a batch or an
application: the office's people and the unit's own people (roles on the unit itself:
创建办, 单位领导, 督查员, 观察员); department roles and another city are told nothing (404).
The office's 文明办管理员 decides (the unit's people are refused, 403); the unit's 创建办 alone
applies, supplements and withdraws (the office admin and the unit's other people, 403).
Objections are the office's: a unit's people are told nothing of them (404).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.matrix.base import Route, expect

UNIT_READERS = ["observer", "inspector", "leader", "coordinator"]
FORM = {
    "principal_name": "王建国",
    "contact_name": "李文静",
    "contact_phone": "0576-88900123",
    "staff_count": 420,
    "summary": "矩阵接口申报总结",
}


def _read() -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def _office(ok: int) -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


def _applicant(ok: int) -> dict[str, int]:
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 403))
    table["coordinator"] = ok
    return table


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _batch(office: Any, admin: Any, title: str) -> Any:
    from wenming.applications import services

    today = _today()
    return services.batch_create(
        office=office,
        user=admin,
        rules=[],
        year=today.year,
        title=title,
        honour_title="矩阵接口称号",
        level="city",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        quota=3,
    )


def _at_step(base: dict[str, Any], admin: Any, coordinator: Any, step: str) -> Any:
    """An application of the market bureau in a batch of its own, taken up to `step`."""
    from wenming.applications import services

    today = _today()
    batch = _batch(base["office"], admin, f"矩阵接口批次（{step}）")
    app = services.application_submit(batch=batch, unit=base["unit"], user=coordinator, **FORM)
    if step == "returned":
        services.application_return(application=app, user=admin, comment="请补充", deadline=today)
        return app
    if step == "submitted":
        return app
    services.application_accept(application=app, user=admin)
    if step in ("accepted", "field", "finished"):
        return app
    services.field_assessment_record(
        application=app, user=admin, survey_rate=None, survey_note="", field_score=90
    )
    services.opinion_record(
        application=app,
        user=admin,
        body="discipline",
        body_name="",
        adverse=False,
        content="无意见",
        received_on=today,
    )
    if step == "assessed":
        return app
    services.consultation_finish(application=app, user=admin)
    if step == "consulted":
        return app
    starts = today if step == "publicized" else today - datetime.timedelta(days=30)
    services.publicity_start(batch=batch, user=admin, starts_on=starts, applications=[app])
    return app


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from tests.factories import make_campaign
    from wenming.applications import services
    from wenming.applications.models import Batch
    from wenming.campaigns.models import Campaign
    from wenming.registry import services as registry_services
    from wenming.registry.models import RegistryEntry

    admin = User.objects.get(username="wmb_admin")
    coordinator = User.objects.get(username="cjb")
    if not RegistryEntry.objects.filter(unit=base["unit"]).exists():
        registry_services.entry_register(office=base["office"], user=admin, unit=base["unit"])
    if not Campaign.objects.filter(unit=base["unit"], is_active=True).exists():
        make_campaign(unit=base["unit"], office=base["office"])
    found = {
        f"api_app_{step}": _at_step(base, admin, coordinator, step)
        for step in ("submitted", "returned", "accepted", "assessed", "consulted", "publicized")
    }
    found["api_app_ended"] = _at_step(base, admin, coordinator, "ended")
    # Arranging the round on the platform needs the batch's system.
    Batch.objects.filter(pk=found["api_app_accepted"].batch_id).update(
        framework=Campaign.objects.filter(unit=base["unit"], is_active=True).get().framework
    )
    found["api_app_field"] = _field_round(base, admin, coordinator, finished=False)
    found["api_app_field_done"] = _field_round(base, admin, coordinator, finished=True)
    found["api_objection"] = services.objection_record(
        application=found["api_app_publicized"],
        user=admin,
        received_on=_today(),
        content="矩阵接口异议",
    )
    found["api_batch_empty"] = _batch(base["office"], admin, "矩阵接口批次（空）")
    return found


def _field_round(base: dict[str, Any], admin: Any, coordinator: Any, *, finished: bool) -> Any:
    """An accepted application whose batch scores against the unit's system, its 实地测评 round
    on the frozen submission arranged with the office admin as assessor (and finished)."""
    from wenming.applications import field_round, services
    from wenming.applications.models import Batch
    from wenming.campaigns.models import Campaign

    app = _at_step(base, admin, coordinator, "finished" if finished else "field")
    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).get()
    Batch.objects.filter(pk=app.batch_id).update(framework=campaign.framework)
    app.refresh_from_db()
    services.field_round_open(application=app, user=admin, scored_on=_today(), assessors=[admin])
    if finished:
        app.refresh_from_db()
        field_round.field_round_finish(application=app, user=admin)
    return app


def _field_read() -> dict[str, int]:
    """The office reads the round; the unit's people only once the result is recorded."""
    table = expect(404, anonymous=401)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = 200
    return table


def _first_standard(t: dict[str, Any]) -> dict[str, Any]:
    from wenming.frameworks.models import Node

    app = t["api_app_field"]
    node = (
        Node.objects.filter(framework_id=app.batch.framework_id, is_leaf=True, section="basic")
        .order_by("position")
        .first()
    )
    return {"standard_id": node.pk, "points": str(node.points)}


def _app(step: str) -> Any:
    return lambda t: [t[f"api_app_{step}"].pk]


def _batch_of(step: str) -> Any:
    return lambda t: [t[f"api_app_{step}"].batch_id]


def _admin_id() -> int:
    from django.contrib.auth.models import User

    return int(User.objects.get(username="wmb_admin").pk)


def _day() -> str:
    return _today().isoformat()


ROUTES: dict[str, Route] = {
    "api:application_batch_list": Route("GET", lambda t: [], expect(200, anonymous=401)),
    "api:application_batch_create": Route(
        "POST",
        lambda t: [],
        _office(201),
        data=lambda t: {
            "office_id": t["office"].pk,
            "year": _today().year,
            "title": "矩阵新批次",
            "honour_title": "市级文明单位",
            "level": "city",
            "opens_on": _day(),
            "closes_on": _day(),
            "quota": 5,
        },
    ),
    "api:application_batch_detail": Route("GET", _batch_of("submitted"), _read()),
    "api:application_batch_update": Route(
        "PATCH", _batch_of("submitted"), _office(200), data=lambda t: {"quota": 6}
    ),
    "api:application_batch_eligibility": Route("GET", _batch_of("submitted"), _applicant(200)),
    "api:application_publicity": Route(
        "POST",
        _batch_of("consulted"),
        _office(200),
        data=lambda t: {"starts_on": _day(), "application_ids": [t["api_app_consulted"].pk]},
    ),
    "api:application_name": Route(
        "POST",
        _batch_of("ended"),
        _office(200),
        data=lambda t: {
            "named_on": _day(),
            "decision_title": "临文明委〔2026〕99号",
            "application_ids": [t["api_app_ended"].pk],
        },
    ),
    "api:application_list": Route("GET", lambda t: [], expect(200, anonymous=401)),
    "api:application_submit": Route(
        "POST",
        lambda t: [],
        _applicant(201),
        data=lambda t: {**FORM, "batch_id": t["api_batch_empty"].pk},
    ),
    "api:application_detail": Route("GET", _app("submitted"), _read()),
    "api:application_snapshot": Route("GET", _app("submitted"), _read()),
    "api:application_resubmit": Route("POST", _app("returned"), _applicant(200)),
    "api:application_withdraw": Route(
        "POST", _app("submitted"), _applicant(200), data=lambda t: {"reason": "矩阵撤回"}
    ),
    "api:application_return": Route(
        "POST",
        _app("submitted"),
        _office(200),
        data=lambda t: {"comment": "请补充", "deadline": _day()},
    ),
    "api:application_accept": Route("POST", _app("submitted"), _office(200)),
    "api:application_reject": Route(
        "POST", _app("submitted"), _office(200), data=lambda t: {"comment": "不符合"}
    ),
    "api:application_field_round": Route(
        "POST",
        _app("accepted"),
        _office(200),
        data=lambda t: {"scored_on": _day(), "assessor_ids": [_admin_id()]},
    ),
    "api:application_field_sheet": Route("GET", _app("field"), _field_read()),
    "api:application_field_scores": Route("GET", _app("field"), _field_read()),
    "api:application_field_score": Route("POST", _app("field"), _office(200), data=_first_standard),
    "api:application_field_finish": Route("POST", _app("field"), _office(200)),
    "api:application_field_reopen": Route("POST", _app("field_done"), _office(200)),
    "api:application_assessment": Route(
        "POST", _app("accepted"), _office(200), data=lambda t: {"field_score": "88"}
    ),
    "api:application_opinion": Route(
        "POST",
        _app("assessed"),
        _office(201),
        data=lambda t: {"body": "legal", "content": "无意见", "received_on": _day()},
    ),
    "api:application_consultation_finish": Route("POST", _app("assessed"), _office(200)),
    "api:application_objection": Route(
        "POST",
        _app("publicized"),
        _office(201),
        data=lambda t: {"received_on": _day(), "content": "矩阵异议"},
    ),
    "api:application_objection_answer": Route(
        "POST",
        lambda t: [t["api_objection"].pk],
        {**expect(404, anonymous=401), "office_admin": 200},
        data=lambda t: {"answer": "不属实", "answered_on": _day(), "upheld": "false"},
    ),
}
