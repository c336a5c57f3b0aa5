"""The ZIP binder: the ledger as folders 测评项目/测评内容/测评标准/ with the original files.

Files are streamed from storage into the archive one buffer at a time, so memory stays flat
whatever the ledger's size. Photos, videos, PDFs and Office files are already compressed:
they are stored as they are (ZIP_STORED), which costs nothing but a CRC; text-like files are
deflated. Every entry is written with ZIP64 allowed, so archives past 4 GB open too.
`台账目录.xlsx` at the root lists every file with its path and SHA-256.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from wenming.ledger.binder.index import IndexRow, write_index
from wenming.ledger.binder.names import FOLDER_MAX, UniqueNames, clean, file_name
from wenming.ledger.binder.select import BinderNode, Selection, live_files
from wenming.ledger.models import BinderExport, EvidenceFile, EvidenceItem

Progress = Callable[[int, str], None]

INDEX_NAME = "台账目录.xlsx"
COMPRESSED = {
    "jpg", "jpeg", "png", "heic", "heif", "webp", "gif", "mp4", "mov", "m4v", "mp3", "m4a",
    "aac", "docx", "xlsx", "pptx", "pdf", "zip", "ofd",
}  # fmt: skip
COPY_BUFFER = 1024 * 1024


def node_label(node_title: str, code: str) -> str:
    return f"{code} {node_title}".strip()


class Folders:
    """Folder names per node, unique among siblings, stable for a node once given."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}
        self._siblings: dict[str, UniqueNames] = {}

    def path(self, bn: BinderNode) -> str:
        parts: list[str] = []
        for node in bn.trail:
            if node.pk not in self._names:
                parent = "/".join(parts)
                taken = self._siblings.setdefault(parent, UniqueNames())
                self._names[node.pk] = taken.take(
                    clean(node_label(node.title, node.code), FOLDER_MAX)
                )
            parts.append(self._names[node.pk])
        return "/".join(parts)


def entry_name(item: EvidenceItem, number: int, record: EvidenceFile) -> str:
    stem, dot, ext = record.original_name.rpartition(".")
    if not dot:
        stem, ext = record.original_name, record.extension
    return file_name(f"{item.title}_{number}_{stem}", ext or record.extension)


def _levels(bn: BinderNode) -> tuple[str, str, str]:
    """测评项目, 测评内容, 测评标准 as the index names them (a shallow tree leaves gaps)."""
    labels = [node_label(n.title, n.code) for n in bn.trail]
    standard = labels[-1]
    above = labels[:-1]
    item_label = above[0] if above else ""
    content_label = " / ".join(above[1:]) if len(above) > 1 else ""
    return item_label, content_label, standard


def build_zip(
    export: BinderExport, selection: Selection, out: Path, progress: Progress
) -> tuple[int, int]:
    """Write the archive to `out`; returns (items, files) written."""
    from wenming.ledger.files import FileKind
    from wenming.ledger.models import ItemStatus

    folders = Folders()
    total = max(1, sum(len(live_files(i)) for bn in selection.standards for i in bn.items))
    done = 0
    rows: list[IndexRow] = []
    files_written = 0
    stamp = timezone.localtime().timetuple()[:6]
    status_label = dict(ItemStatus.choices)
    kind_label = dict(FileKind.choices)
    with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        for bn in selection.standards:
            folder = folders.path(bn)
            names = UniqueNames()
            levels = _levels(bn)
            if not bn.items:
                # An empty folder still shows the gap to whoever browses the archive.
                zf.writestr(zipfile.ZipInfo(folder + "/", date_time=stamp), b"")
            for item in bn.items:
                for number, record in enumerate(live_files(item), start=1):
                    arcname = f"{folder}/{names.take(entry_name(item, number, record))}"
                    info = zipfile.ZipInfo(arcname, date_time=stamp)
                    info.compress_type = (
                        zipfile.ZIP_STORED
                        if record.extension.lower() in COMPRESSED
                        else zipfile.ZIP_DEFLATED
                    )
                    with (
                        record.file.storage.open(record.file.name, "rb") as src,
                        zf.open(info, "w", force_zip64=True) as dst,
                    ):
                        shutil.copyfileobj(src, dst, COPY_BUFFER)
                    files_written += 1
                    rows.append(
                        IndexRow(
                            *levels,
                            title=item.title,
                            activity_date=item.activity_date,
                            department=item.department.name,
                            status=status_label.get(item.status, item.status),
                            file_name=record.original_name,
                            kind=kind_label.get(record.kind, record.kind),
                            size=record.size,
                            path=arcname,
                            sha256=record.sha256,
                        )
                    )
                    done += 1
                    progress(2 + done * 93 // total, f"正在打包文件（{done}/{total}）")
        progress(96, "正在生成台账目录表")
        with tempfile.TemporaryDirectory() as tmp:
            index_path = Path(tmp) / "index.xlsx"
            write_index(rows, index_path, title=f"{export.unit.name}创建台账目录")
            zf.write(index_path, INDEX_NAME, compress_type=zipfile.ZIP_DEFLATED)
    return selection.item_count, files_written
