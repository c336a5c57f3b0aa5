"""The corpus through every door (screen, API, CLI), and the preview where a reading is
corrected before anything is saved, with the corrections kept for the issuer's next edition."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wenming.frameworks.models import Framework, ImportDraft, ReadingProfile, Section
from wenming.orgs.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(office_admin):  # type: ignore[no-untyped-def]
    """The office admin's integration, with a token: what an integrator's script does."""
    _, raw = ApiToken.issue(office_admin)
    return Client(headers={"Authorization": f"Bearer {raw}"})


CORPUS = Path(__file__).parent / "corpus"
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
GOOD = [d for d in MANIFEST if not d.get("refused")]
BROKEN = [d for d in MANIFEST if d.get("refused")]


def _content(doc: dict[str, Any]) -> bytes:
    return (CORPUS / "files" / doc["file"]).read_bytes()


def _counts(framework: Framework) -> dict[str, Any]:
    nodes = list(framework.nodes.all())
    leaves = [n for n in nodes if n.is_leaf]
    return {
        "items": sum(1 for n in nodes if n.depth == 0 and n.section == Section.BASIC),
        "standards": len(leaves),
        "deduction_standards": sum(1 for n in leaves if n.section == Section.DEDUCTION),
        "veto_standards": sum(1 for n in leaves if n.section == Section.VETO),
    }


def _expected(doc: dict[str, Any]) -> dict[str, Any]:
    e = doc["expected"]
    return {k: e[k] for k in ("items", "standards", "deduction_standards", "veto_standards")}


def _upload(client: Any, doc: dict[str, Any], owner: Any) -> Any:
    return client.post(
        reverse("frameworks:import"),
        {"file": SimpleUploadedFile(doc["file"], _content(doc)), "owner": owner.pk},
    )


@pytest.mark.parametrize("doc", GOOD, ids=lambda d: d["file"])
def test_every_corpus_document_imports_right_on_the_screen(doc, as_user, office_admin, demo):  # type: ignore[no-untyped-def]
    client = as_user(office_admin)
    response = _upload(client, doc, demo["office"])
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ImportDraft.objects.get(created_by=office_admin, filename=doc["file"])
    page = client.get(response["Location"]).content.decode()
    assert "核对通过，可以保存" in page
    saved = client.post(reverse("frameworks:import_save", args=[draft.pk]))
    framework = Framework.objects.get(pk=ImportDraft.objects.get(pk=draft.pk).framework_id)
    assert saved["Location"] == reverse("frameworks:detail", args=[framework.pk])
    assert _counts(framework) == _expected(doc)
    basic = framework.nodes.filter(depth=0, section=Section.BASIC)
    assert sum(n.points or 0 for n in basic) == Decimal(doc["expected"]["points_total"])


@pytest.mark.parametrize("doc", GOOD, ids=lambda d: d["file"])
def test_every_corpus_document_imports_right_through_the_api(doc, api_client, demo):  # type: ignore[no-untyped-def]
    response = api_client.post(
        "/api/v1/frameworks/import",
        {"file": SimpleUploadedFile(doc["file"], _content(doc)), "owner_id": demo["office"].pk},
    )
    assert response.status_code == 201, response.content.decode()[:2000]
    body = response.json()
    e = doc["expected"]
    assert (body["items"], body["standards"]) == (e["items"], e["standards"])
    assert body["deduction_standards"] == e["deduction_standards"]
    assert Decimal(body["points_total"]) == Decimal(e["points_total"])
    assert Decimal(body["max_total"]) == Decimal(e["max_total"])
    assert _counts(Framework.objects.get(pk=body["framework_id"])) == _expected(doc)


@pytest.mark.parametrize("doc", GOOD, ids=lambda d: d["file"])
def test_every_corpus_document_imports_right_from_the_cli(doc, demo, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / doc["file"]
    path.write_bytes(_content(doc))
    out = StringIO()
    call_command("import_framework", str(path), "--office", "LZ-WMB", "--json", stdout=out)
    body = json.loads(out.getvalue())
    e = doc["expected"]
    assert (body["items"], body["standards"], body["deduction_standards"]) == (
        e["items"],
        e["standards"],
        e["deduction_standards"],
    )
    assert Decimal(body["max_total"]) == Decimal(e["max_total"])


@pytest.mark.parametrize("doc", BROKEN, ids=lambda d: d["file"])
def test_broken_documents_are_refused_whole_with_the_place_named(doc, api_client, demo):  # type: ignore[no-untyped-def]
    before = Framework.objects.count()
    response = api_client.post(
        "/api/v1/frameworks/import",
        {"file": SimpleUploadedFile(doc["file"], _content(doc)), "owner_id": demo["office"].pk},
    )
    assert response.status_code == 422
    body = response.json()
    messages = " ".join(p["message"] for p in body["problems"])
    for error in doc["errors"]:
        if error.get("lenient"):
            continue
        assert all(fragment in messages for fragment in error["fragments"]), messages
        if error.get("row"):
            assert any(p["row"] == error["row"] for p in body["problems"])
    assert all("sheet" in p for p in body["problems"])
    assert Framework.objects.count() == before


def _preview(client: Any, draft: ImportDraft) -> str:
    return client.get(reverse("frameworks:import_preview", args=[draft.pk])).content.decode()


def _correct(client: Any, draft: ImportDraft, **change: Any) -> Any:
    return client.post(
        reverse("frameworks:import_correct", args=[draft.pk]), change, HTTP_HX_REQUEST="true"
    )


def test_a_wrong_reading_is_corrected_row_by_row_and_nothing_is_saved_before(  # type: ignore[no-untyped-def]
    as_user, office_admin, demo
):
    doc = next(d for d in GOOD if d["file"].startswith("02_"))
    client = as_user(office_admin)
    _upload(client, doc, demo["office"])
    draft = ImportDraft.objects.get(created_by=office_admin)
    check = next(c for c in doc["checks"] if c["kind"] == "standard" and c["section"] == "basic")
    # Read a standard as a note: one standard fewer, and its item no longer adds up.
    response = _correct(
        client, draft, kind="role", sheet=check["table"], row=check["row"], value="note"
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="preview-body"' in html
    assert f">{doc['expected']['standards'] - 1}<" in html
    assert "核对通过，可以保存" not in html and "已修改" in html
    assert not Framework.objects.exists() or Framework.objects.filter(lineage="S").count() == 0
    # Put it back: the reading passes again.
    html = _correct(
        client, draft, kind="role", sheet=check["table"], row=check["row"], value="standard"
    ).content.decode()
    assert "核对通过，可以保存" in html
    # A cap the user states: the maximum follows.
    html = _correct(client, draft, kind="cap", section="bonus", value="8").content.decode()
    assert ">108<" in html
    # Nonsense is refused in Chinese and changes nothing.
    refused = _correct(client, draft, kind="role", sheet=check["table"], row="x", value="note")
    assert refused.status_code == 422 and "位置不正确" in refused.content.decode()


def test_corrections_are_kept_for_the_issuers_next_edition(as_user, office_admin, demo):  # type: ignore[no-untyped-def]
    doc = next(d for d in GOOD if d["file"].startswith("02_"))
    client = as_user(office_admin)
    _upload(client, doc, demo["office"])
    first = ImportDraft.objects.get(created_by=office_admin)
    _correct(client, first, kind="cap", section="bonus", value="8")
    client.post(reverse("frameworks:import_save", args=[first.pk]))
    framework = Framework.objects.get(pk=ImportDraft.objects.get(pk=first.pk).framework_id)
    assert framework.bonus_cap == Decimal("8")
    assert ReadingProfile.objects.filter(owner=demo["office"]).count() == 1

    _upload(client, doc, demo["office"])
    second = ImportDraft.objects.filter(created_by=office_admin).order_by("-pk").first()
    assert second is not None and second.profile is not None
    page = _preview(client, second)
    assert "已套用上次对" in page and ">108<" in page
    # The user may drop the profile's corrections and read the file as it is.
    html = _correct(client, second, kind="reset").content.decode()
    assert ">110<" in html


def test_a_preview_is_its_uploaders_alone_and_ends_when_saved(  # type: ignore[no-untyped-def]
    as_user, office_admin, coordinator, demo
):
    doc = next(d for d in GOOD if d["file"].startswith("06_"))
    _upload(as_user(office_admin), doc, demo["office"])
    draft = ImportDraft.objects.get(created_by=office_admin)
    assert (
        as_user(coordinator).get(reverse("frameworks:import_preview", args=[draft.pk])).status_code
        == 404
    )
    client = as_user(office_admin)
    client.post(reverse("frameworks:import_discard", args=[draft.pk]))
    assert not Framework.objects.filter(name__contains="浙江").exists()
    late = _correct(client, draft, kind="basic_total", value="100")
    assert late.status_code == 422 and "已经保存或放弃" in late.content.decode()


def test_the_api_returns_the_reading_and_reads_again_with_corrections(api_client, demo):  # type: ignore[no-untyped-def]
    doc = next(d for d in GOOD if d["file"].startswith("02_"))

    def preview(corrections: dict[str, Any] | None = None) -> Any:
        data: dict[str, Any] = {
            "file": SimpleUploadedFile(doc["file"], _content(doc)),
            "owner_id": demo["office"].pk,
        }
        if corrections is not None:
            data["corrections"] = json.dumps(corrections)
        return api_client.post("/api/v1/frameworks/import/preview", data)

    body = preview().json()
    assert body["ok"] and body["summary"]["standards"] == doc["expected"]["standards"]
    assert {"rows", "tables", "sections", "tree", "checks", "problems", "corrections"} <= set(body)
    row = next(r for r in body["rows"] if r["role"] == "standard")
    corrected = preview({"roles": [{"sheet": row["sheet"], "row": row["row"], "role": "ignore"}]})
    assert corrected.json()["summary"]["standards"] == doc["expected"]["standards"] - 1
    bad = preview({"roles": [{"sheet": row["sheet"], "row": row["row"], "role": "大标题"}]})
    assert bad.status_code == 422 and "无法识别" in bad.json()["detail"]
    assert (
        not Framework.objects.filter(owner=demo["office"]).exclude(lineage="SAMPLE-WMDW").exists()
    )


def test_an_upload_left_in_the_preview_for_a_week_is_set_aside_on_the_next_upload(  # type: ignore[no-untyped-def]
    as_user, office_admin, demo
):
    import datetime

    from django.utils import timezone

    doc = next(d for d in GOOD if d["file"].startswith("06_"))
    client = as_user(office_admin)
    _upload(client, doc, demo["office"])
    old = ImportDraft.objects.get(created_by=office_admin)
    ImportDraft.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    _upload(client, doc, demo["office"])
    old.refresh_from_db()
    assert old.discarded_at is not None and bytes(old.content) == b""
    newest = ImportDraft.objects.filter(created_by=office_admin).order_by("-pk").first()
    assert newest is not None and newest.is_open
    assert client.get(reverse("frameworks:import_preview", args=[old.pk])).status_code == 302
