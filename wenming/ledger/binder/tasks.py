"""Building a binder in the background, with progress people can watch.

The build writes into a private work directory next to the data (so the finished file is
moved into storage, not copied, when storage is the local disk) and reports its stage at
most twice a second: a progress bar needs no more, and the database is spared thousands of
writes on a large ledger.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django_tasks import task

from wenming.ledger.binder import pdf, zip
from wenming.ledger.binder.select import select
from wenming.ledger.models import BinderExport, ExportFormat, ExportStatus

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5
FAILED_MESSAGE = "生成失败：{reason}请稍后重试，如仍失败请联系管理员。"


class _Reporter:
    """Writes progress and stage to the export row, throttled."""

    def __init__(self, export_id: int) -> None:
        self.export_id = export_id
        self.last = 0.0
        self.progress = -1

    def __call__(self, progress: int, stage: str, *, force: bool = False) -> None:
        progress = max(0, min(99, progress))
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        self.progress = progress
        BinderExport.objects.filter(pk=self.export_id).update(progress=progress, stage=stage)


class _MovableFile(File):
    """A finished file on local disk: FileSystemStorage moves it instead of copying."""

    def temporary_file_path(self) -> str:
        return str(self.name)


def _work_root() -> Path:
    root = Path(settings.DATA_DIR) / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return "读取或写入文件时出错（可能是磁盘空间不足或文件已损坏）。"
    if isinstance(exc, MemoryError):
        return "台账太多，服务器内存不足，请缩小导出范围（如按部门或年度）。"
    return "处理台账时出现意外错误。"


@task()
def build_binder(export_id: int) -> str:
    """Build the export's file; returns its final status."""
    export = (
        BinderExport.objects.select_related("campaign", "unit", "department")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.status != ExportStatus.QUEUED:
        return export.status if export else "missing"
    BinderExport.objects.filter(pk=export_id).update(
        status=ExportStatus.RUNNING, started_at=timezone.now(), progress=1, stage="正在整理台账清单"
    )
    report = _Reporter(export_id)
    try:
        with tempfile.TemporaryDirectory(dir=_work_root(), prefix="binder-") as tmp:
            work = Path(tmp)
            selection = select(export)
            out = work / f"binder.{export.format}"
            if export.format == ExportFormat.ZIP:
                items, files = zip.build_zip(export, selection, out, report)
            else:
                pdf.render_pdf(export, selection, work, out, report)
                items, files = selection.item_count, selection.file_count
            report(99, "正在保存", force=True)
            size = out.stat().st_size
            with out.open("rb") as fh:
                stored = _MovableFile(fh, name=str(out))
                export.file.save(out.name, stored, save=False)
    except Exception as exc:
        log.exception("binder export %s failed", export_id)
        BinderExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            stage="",
            error=FAILED_MESSAGE.format(reason=_reason(exc)),
            finished_at=timezone.now(),
        )
        return ExportStatus.FAILED
    BinderExport.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE,
        progress=100,
        stage="已完成",
        file=export.file.name,
        size=size,
        item_count=items,
        file_count=files,
        finished_at=timezone.now(),
    )
    return ExportStatus.DONE
