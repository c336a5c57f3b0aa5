"""Old and foreign formats converted with LibreOffice (`soffice --headless --convert-to`).

Each conversion runs in a temporary directory with its own LibreOffice profile (two
conversions at once would otherwise fight over one profile's lock), is killed with its
whole process group after `TIMEOUT` seconds, and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from wenming.frameworks.io.formats.common import refuse

TIMEOUT = 60
MAX_OUTPUT = 100 * 1024 * 1024


def soffice_path() -> str | None:
    """LibreOffice's command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(content: bytes, source_ext: str, target: str, *, advice: str) -> bytes | None:
    """The document converted to `target` ("docx", "xlsx"), or None when LibreOffice is not
    installed. `advice` ends the message when the conversion fails ("请用 Word 或 WPS 另存为
    .docx 后再导入")."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="wenming-convert-") as tmp:
        work = Path(tmp)
        source = work / f"input.{source_ext}"
        source.write_bytes(content)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            target,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        env = {**os.environ, "HOME": tmp, "TMPDIR": tmp}
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp,
            env=env,
            start_new_session=True,  # its own process group, so a timeout kills every child
        )
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process.pid)  # still running, so the group is still this conversion's
            process.wait()
            raise refuse(f"转换文件超时（{TIMEOUT}秒），文件可能已损坏；{advice}") from exc
        result = work / "out" / f"input.{target}"
        if not result.is_file() or result.stat().st_size > MAX_OUTPUT:
            raise refuse(f"无法转换该文件，文件可能已损坏；{advice}")
        return result.read_bytes()


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has ended
        os.killpg(pid, signal.SIGKILL)
