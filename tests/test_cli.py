"""The `wenming` console script and its commands."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from wenming.frameworks.models import Framework
from wenming.orgs.demo import SAMPLE_FRAMEWORK
from wenming.orgs.models import ApiToken


def test_import_framework_prints_one_json_object(demo):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "import_framework", str(SAMPLE_FRAMEWORK), "--office", "LZ-SCJG", "--json", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["ok"] is True
    assert Framework.objects.get(pk=result["framework_id"]).owner == demo["unit"]
    assert {
        k: result[k]
        for k in (
            "items",
            "standards",
            "points_total",
            "bonus_standards",
            "bonus_cap",
            "veto_count",
        )
    } == {
        "items": 9,
        "standards": 85,
        "points_total": "100",
        "bonus_standards": 3,
        "bonus_cap": "10",
        "veto_count": 8,
    }


def test_import_framework_fails_with_errors_and_nonzero_exit(demo, tmp_path: Path):  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "framework: {name: x}\nitems:\n  - {code: A, title: t, points: 多}\n", encoding="utf-8"
    )
    out = StringIO()
    before = Framework.objects.count()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_framework", str(bad), "--json", stdout=out)
    assert exit_info.value.code == 1
    result = json.loads(out.getvalue())
    assert result["ok"] is False and result["framework_id"] is None
    assert "不是数字" in result["errors"][0]["message"]
    assert Framework.objects.count() == before


def test_create_and_revoke_token(demo):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("create_token", "cjb", "--name", "测试", stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    assert ApiToken.authenticate(raw) is not None
    call_command("revoke_token", raw, stdout=StringIO())
    assert ApiToken.authenticate(raw) is None


def test_console_script_runs_django_commands(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {"WENMING_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    script = Path(sys.executable).parent / "wenming"
    done = subprocess.run(
        [str(script), "help", "import_framework"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "--office" in done.stdout
    # The secret key is generated once and kept in the data directory.
    assert (tmp_path / "secret_key").read_text().strip()
