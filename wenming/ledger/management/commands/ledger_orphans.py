"""Find (and with --delete remove) stored files that no ledger record refers to.

Services delete what a failed upload stored, but a crash between storing a file and
committing its row, or a purge whose deletion failed, can leave a file behind. This sweep
walks the ledger's storage prefixes through the Storage API (local disk or S3 alike) and
compares them with the file names recorded in the database. Files younger than
--min-age-minutes are left alone: they may belong to an upload still in flight.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from wenming.ledger.models import BinderExport, EvidenceFile

PREFIXES = ("evidence", "thumbs", "exports")


def walk(storage: Storage, prefix: str) -> Iterator[str]:
    """Every file name under `prefix`, depth first."""
    try:
        dirs, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{prefix}/{name}"
    for sub in sorted(dirs):
        yield from walk(storage, f"{prefix}/{sub}")


def referenced_names() -> set[str]:
    names: set[str] = set()
    for file, thumb in EvidenceFile.objects.values_list("file", "thumbnail").iterator(
        chunk_size=5000
    ):
        names.add(file)
        if thumb:
            names.add(thumb)
    names.update(BinderExport.objects.exclude(file="").values_list("file", flat=True))
    return names


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:.1f} KB"


class Command(BaseCommand):
    help = (
        "查找台账存储中没有任何记录引用的孤立文件（evidence/、thumbs/、exports/）。"
        "默认只列出；加 --delete 删除。只处理早于 --min-age-minutes（默认60分钟）的文件，"
        "正在上传的文件不受影响。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="删除找到的孤立文件")
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="只处理早于这么多分钟的文件（默认60）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        storage = default_storage
        delete = bool(options["delete"])
        cutoff = timezone.now() - datetime.timedelta(minutes=max(0, options["min_age_minutes"]))
        # Listed before the records are read: a file committed meanwhile is then known.
        candidates: list[tuple[str, datetime.datetime]] = []
        for prefix in PREFIXES:
            for name in walk(storage, prefix):
                modified = storage.get_modified_time(name)
                if timezone.is_naive(modified):
                    modified = timezone.make_aware(modified)
                if modified <= cutoff:
                    candidates.append((name, modified))
        known = referenced_names()
        count = total = 0
        for name, modified in candidates:
            if name in known:
                continue
            size = storage.size(name)
            count += 1
            total += size
            local = timezone.localtime(modified)
            if delete:
                storage.delete(name)
                self.stdout.write(f"已删除 {name}（{_size(size)}，{local:%Y-%m-%d %H:%M}）")
            else:
                self.stdout.write(f"{name}（{_size(size)}，{local:%Y-%m-%d %H:%M}）")
        if count == 0:
            self.stdout.write("没有发现孤立文件。")
        elif delete:
            self.stdout.write(f"共删除孤立文件 {count} 个，释放 {_size(total)}。")
        else:
            self.stdout.write(
                f"共发现孤立文件 {count} 个，合计 {_size(total)}。加 --delete 可删除。"
            )
