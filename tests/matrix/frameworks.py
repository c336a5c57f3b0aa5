"""The import preview: an upload waiting for its reading to be checked is its uploader's
alone (here the unit's 创建办); everyone else, the office admin included, is told nothing."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix.base import SMALL, Route, expect


def _uploader_only(ok: int) -> dict[str, int]:
    return expect(404, coordinator=ok)


ROUTES: dict[str, Route] = {
    "frameworks:import_preview": Route(
        "GET", lambda t: [t["import_draft"].pk], _uploader_only(200)
    ),
    "frameworks:import_correct": Route(
        "POST",
        lambda t: [t["import_draft"].pk],
        _uploader_only(302),
        data=lambda t: {"kind": "basic_total", "value": "2"},
    ),
    "frameworks:import_save": Route("POST", lambda t: [t["import_draft"].pk], _uploader_only(302)),
    "frameworks:import_discard": Route(
        "POST", lambda t: [t["import_draft"].pk], _uploader_only(302)
    ),
    "api:framework_import_preview": Route(
        "POST",
        lambda t: [],
        expect(403, anonymous=401, office_admin=200),
        data=lambda t: {"file": SimpleUploadedFile("s.yaml", SMALL), "owner_id": t["office"].pk},
    ),
}


def targets(base: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from wenming.frameworks.models import ImportDraft

    draft = ImportDraft.objects.create(
        owner=base["unit"],
        created_by=User.objects.get(username="cjb"),
        filename="本单位测评体系.yaml",
        content=SMALL,
    )
    return {"import_draft": draft}
