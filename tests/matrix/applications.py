"""The screens of applications (申报, R12) in the permission matrix.

The target batch is 临州市文明办's, open today, without rules; the market bureau's 创建办 has
filed the target application (待初审). Its readers: the office's people and the unit's own
people (roles on the unit itself: 创建办, 单位领导, 督查员, 观察员); department roles and
another city are told nothing (404). The office's 文明办管理员 decides (the unit's people are
refused, 403); the unit's 创建办 alone applies, supplements and withdraws (the office admin is
refused, 403). Posts without data answer an allowed persona with what is missing (400); a
step that does not fit the application's status comes back to its page (302) unchanged.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.base import Route, expect

UNIT_READERS = ("observer", "inspector", "leader", "coordinator")
SAMPLE_NAME = "applications/matrix/decision.pdf"
PHOTO_NAME = "evidence/matrix/applications.jpg"


def _stored(name: str, content: bytes) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(content))


def _frozen_file(application: Any, base: dict[str, Any]) -> Any:
    """A frozen item with one file, straight into the tables."""
    from tests.factories import make_campaign
    from tests.ledger.samples import pdf
    from wenming.applications.models import SnapshotFile, SnapshotItem
    from wenming.campaigns.models import Campaign
    from wenming.ledger.models import EvidenceFile, EvidenceItem

    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    item = EvidenceItem.objects.create(
        campaign=campaign, unit=base["unit"], department=base["food"], year=2026, title="申报台账"
    )
    stored = EvidenceFile.objects.create(
        item=item,
        unit=base["unit"],
        year=2026,
        file=_stored(PHOTO_NAME, pdf()),
        original_name="台账.pdf",
        kind="pdf",
        content_type="application/pdf",
        extension="pdf",
        size=1000,
        sha256="1" * 64,
    )
    frozen = SnapshotItem.objects.create(
        application=application, item=item, title=item.title, status="submitted"
    )
    return SnapshotFile.objects.create(snapshot_item=frozen, file=stored, original_name="台账.pdf")


def targets(base: dict[str, Any]) -> dict[str, Any]:
    import datetime

    from django.contrib.auth.models import User
    from django.utils import timezone

    from tests.ledger.samples import pdf
    from wenming.applications import services
    from wenming.applications.models import Objection
    from wenming.registry import services as registry_services
    from wenming.registry.models import DecisionFile, RegistryEntry

    admin = User.objects.get(username="wmb_admin")
    coordinator = User.objects.get(username="cjb")
    today = timezone.localdate()
    entry = RegistryEntry.objects.filter(unit=base["unit"]).first() or (
        registry_services.entry_register(office=base["office"], user=admin, unit=base["unit"])
    )
    document = DecisionFile.objects.create(
        unit=base["office"],
        year=today.year,
        file=_stored(SAMPLE_NAME, pdf()),
        original_name="命名决定.pdf",
        kind="pdf",
        content_type="application/pdf",
        extension="pdf",
        size=1000,
        sha256="2" * 64,
    )
    batch = services.batch_create(
        office=base["office"],
        user=admin,
        rules=[],
        year=today.year,
        title="矩阵申报批次",
        honour_title="市级文明单位",
        level="city",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        quota=3,
    )
    batch.decision_document = document
    batch.save(update_fields=["decision_document"])
    application = services.application_submit(
        batch=batch,
        unit=entry.unit,
        user=coordinator,
        principal_name="王建国",
        contact_name="李文静",
        contact_phone="0576-88900123",
        staff_count=420,
        summary="矩阵申报总结",
    )
    objection = Objection.objects.create(
        application=application, received_on=today, content="矩阵异议"
    )
    return {
        "ap_field": _field_application(base, admin, coordinator),
        "ap_batch": batch,
        "ap_application": application,
        "ap_objection": objection,
        "ap_file": _frozen_file(application, base),
    }


def _field_application(base: dict[str, Any], admin: Any, coordinator: Any) -> Any:
    """An accepted application in a batch that scores against the unit's system, its 实地测评
    round on the frozen submission arranged with the office admin as assessor."""
    import datetime

    from django.utils import timezone

    from tests.factories import make_campaign
    from wenming.applications import services
    from wenming.campaigns.models import Campaign

    today = timezone.localdate()
    campaign = Campaign.objects.filter(unit=base["unit"], is_active=True).first() or (
        make_campaign(unit=base["unit"], office=base["office"])
    )
    batch = services.batch_create(
        office=base["office"],
        user=admin,
        rules=[],
        year=today.year,
        title="矩阵实地测评批次",
        honour_title="市级文明单位标兵",
        level="city",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        quota=3,
        framework=campaign.framework,
    )
    application = services.application_submit(
        batch=batch,
        unit=base["unit"],
        user=coordinator,
        principal_name="王建国",
        contact_name="李文静",
        contact_phone="0576-88900123",
        staff_count=420,
        summary="矩阵实地测评总结",
    )
    services.application_accept(application=application, user=admin)
    services.field_round_open(
        application=application, user=admin, scored_on=today, assessors=[admin]
    )
    application.refresh_from_db()
    return application


def _field_round(t: dict[str, Any]) -> list[Any]:
    return [t["ap_field"].field_round_id]


def _field_standard(t: dict[str, Any]) -> list[Any]:
    from wenming.frameworks.models import Node

    app = t["ap_field"]
    node = Node.objects.filter(framework_id=app.batch.framework_id, is_leaf=True).first()
    return [app.field_round_id, node.pk]


def field_read() -> dict[str, int]:
    """The office reads the 实地测评 sheet; the unit's people once the result is recorded."""
    table = expect(404)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = 200
    return table


def _no_args(t: dict[str, Any]) -> list[Any]:
    return []


def _batch(t: dict[str, Any]) -> list[Any]:
    return [t["ap_batch"].pk]


def _application(t: dict[str, Any]) -> list[Any]:
    return [t["ap_application"].pk]


def read() -> dict[str, int]:
    table = expect(404)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 200))
    return table


def office(ok: int) -> dict[str, int]:
    """The office admin decides; the unit's readers are refused; the rest told nothing."""
    table = expect(404)
    table.update(dict.fromkeys(UNIT_READERS, 403))
    table["office_admin"] = ok
    return table


def applicant(ok: int) -> dict[str, int]:
    """The unit's 创建办 acts; the office admin and the unit's other readers are refused."""
    table = expect(404)
    table.update(dict.fromkeys([*UNIT_READERS, "office_admin"], 403))
    table["coordinator"] = ok
    return table


def _office_post(ok: int) -> Route:
    return Route("POST", _application, office(ok))


ROUTES: dict[str, Route] = {
    # Everyone signed in gets the list: the office its batches, a unit its open batches.
    "applications:index": Route("GET", _no_args, expect(200)),
    "applications:batch_new": Route(
        "GET", _no_args, expect(403, office_admin=200, outsider_admin=200)
    ),
    "applications:batch": Route("GET", _batch, read()),
    "applications:batch_edit": Route("GET", _batch, office(200)),
    # Refused (the batch has an application), back to the batch page.
    "applications:batch_remove": Route("POST", _batch, office(302)),
    # The 创建办 who already applied is taken to the application.
    "applications:apply": Route("GET", _batch, applicant(302)),
    "applications:publicity": Route("POST", _batch, office(400)),
    "applications:publicity_end": Route("GET", _batch, office(200), query="?starts_on=2026-06-15"),
    "applications:name": Route("POST", _batch, office(400)),
    "applications:decision_docx": Route("GET", _batch, office(200)),
    "applications:publicity_docx": Route("GET", _batch, office(200)),
    "applications:list_xlsx": Route("GET", _batch, office(200)),
    "applications:decision_file": Route("GET", _batch, read()),
    "applications:application": Route("GET", _application, read()),
    # Not returned: the 创建办 is taken back to the application.
    "applications:resubmit": Route("GET", _application, applicant(302)),
    "applications:withdraw": Route("POST", _application, applicant(400)),
    # 初审通过 needs no data (rolled back after each persona).
    "applications:accept": _office_post(302),
    "applications:return": _office_post(400),
    "applications:reject": _office_post(400),
    "applications:field_round": _office_post(400),
    "applications:assessment": _office_post(400),
    "applications:field_sheet": Route("GET", _field_round, field_read()),
    # An empty score is refused in its row (400); finishing and reopening come back (302).
    "applications:field_score": Route("POST", _field_standard, office(400)),
    "applications:field_finish": Route("POST", _field_round, office(302)),
    "applications:field_reopen": Route("POST", _field_round, office(302)),
    "applications:opinion": _office_post(400),
    "applications:consulted": _office_post(302),
    "applications:objection": _office_post(400),
    "applications:objection_answer": Route("POST", lambda t: [t["ap_objection"].pk], office(400)),
    "applications:form_docx": Route("GET", _application, read()),
    "applications:summary_docx": Route("GET", _application, read()),
    "applications:file": Route("GET", lambda t: [t["ap_file"].pk], read()),
}
