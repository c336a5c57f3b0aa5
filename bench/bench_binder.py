"""Benchmark: the binder export (装订) over a large photo ledger.

Run with `.venv/bin/python bench/bench_binder.py`. It uses its own temporary SQLite database
and data directory. It files 1,000 photos of 1–3 MB (random-noise JPEGs, which compress
poorly: the worst case) for 2026 and 300 photos plus 20 multi-page PDFs for 2027, straight
through the ORM and storage, then:

- exports the 2026 ledger as a ZIP and compares its throughput with a plain `shutil.copyfile`
  of the same files on the same disk (target: ratio ≥ 0.7);
- exports the 2027 ledger as a PDF binder (target: < 60 s);
- runs each export in a child process and reads its peak RSS (target: < 300 MB).

Exits 1 when a target is missed.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ZIP_PHOTOS = 1000
PDF_PHOTOS = 300
PDF_FILES = 20
PDF_FILE_PAGES = 4
PHOTOS_PER_ITEM = 4
ZIP_RATIO_MIN = 0.7
PDF_SECONDS = 60.0
RSS_MB = 300.0

CHILD = len(sys.argv) > 2 and sys.argv[1] == "--child"
DATA_DIR = os.environ.get("BENCH_BINDER_DATA_DIR") or tempfile.mkdtemp(
    prefix="wenming-bench-binder-"
)
os.environ["BENCH_BINDER_DATA_DIR"] = DATA_DIR
os.environ["WENMING_DATA_DIR"] = DATA_DIR
os.environ["DATABASE_URL"] = f"sqlite:///{Path(DATA_DIR) / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "wenming.settings"
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ["WENMING_TASKS_BACKEND"] = "immediate"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image  # noqa: E402

from wenming.campaigns.models import Campaign  # noqa: E402
from wenming.frameworks.models import Framework, Node  # noqa: E402
from wenming.ledger.models import (  # noqa: E402
    BinderExport,
    EvidenceFile,
    EvidenceItem,
    ExportStatus,
    ItemStatus,
)
from wenming.orgs.demo import load_demo  # noqa: E402
from wenming.orgs.models import Organization, OrgKind  # noqa: E402


def noise_jpegs(count: int) -> list[bytes]:
    """A few distinct noise photos of 1–3 MB; files reuse them with a unique tail."""
    sizes = [(2000, 1500), (1800, 1350), (1600, 1200), (2000, 1500)]
    out = []
    for i in range(count):
        w, h = sizes[i % len(sizes)]
        im = Image.frombytes("RGB", (w, h), os.urandom(w * h * 3))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=90)
        out.append(buf.getvalue())
    return out


def text_pdf() -> bytes:
    from weasyprint import HTML

    pages = "".join(
        f'<section style="break-after: page"><h1>会议纪要 第{i + 1}页</h1>'
        + "<p>研究部署精神文明建设工作，明确责任分工和时间节点。</p>" * 30
        + "</section>"
        for i in range(PDF_FILE_PAGES)
    )
    return HTML(
        string=f'<html><body style="font-family: Noto Sans CJK SC">{pages}</body></html>'
    ).write_pdf()  # type: ignore[no-any-return]


def build() -> tuple[Campaign, list[Path]]:
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(with_campaign=False)
    unit = Organization.objects.get(code="LZ-SCJG")
    office = Organization.objects.get(code="LZ-WMB")
    framework = Framework.objects.get(owner=office, lineage="SAMPLE-WMDW")
    campaign = Campaign.objects.create(
        unit=unit,
        title="2026—2028年创建省级文明单位",
        target_level="province",
        framework=framework,
        cycle_start=datetime.date(2026, 1, 1),
        cycle_end=datetime.date(2028, 12, 31),
    )
    departments = list(Organization.objects.filter(kind=OrgKind.DEPARTMENT, parent=unit))
    leaves = list(Node.objects.filter(framework=framework, is_leaf=True, section="basic"))
    user = User.objects.get(username="jingban")
    photos = noise_jpegs(12)
    pdf_bytes = text_pdf()
    paths: list[Path] = []

    def file_item(year: int, n: int, photo_count: int, with_pdf: bool) -> None:
        item = EvidenceItem.objects.create(
            campaign=campaign,
            unit=unit,
            department=departments[n % len(departments)],
            year=year,
            title=f"{year}年第{n + 1}次道德讲堂活动",
            activity_date=datetime.date(year, 1 + n % 12, 1 + n % 28),
            place="局机关三楼会议室",
            participant_count=30 + n % 40,
            summary="邀请身边好人讲述敬业故事，干部职工参加并交流心得。" * 3,
            result="干部职工撰写心得体会，形成学习简报一期。",
            status=ItemStatus.APPROVED if n % 3 else ItemStatus.SUBMITTED,
            created_by=user,
        )
        item.standards.add(leaves[n % len(leaves)])
        records = []
        for k in range(photo_count):
            data = photos[(n * 7 + k) % len(photos)] + f"{year}-{n}-{k}".encode()
            name = default_storage.save(
                f"evidence/{unit.pk}/{year}/b{n}_{k}.jpg", ContentFile(data)
            )
            paths.append(Path(default_storage.path(name)))
            records.append(
                EvidenceFile(
                    item=item,
                    unit=unit,
                    year=year,
                    position=k,
                    file=name,
                    original_name=f"活动照片{k + 1}.jpg",
                    kind="photo",
                    content_type="image/jpeg",
                    extension="jpg",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    uploaded_by=user,
                )
            )
        if with_pdf:
            name = default_storage.save(
                f"evidence/{unit.pk}/{year}/b{n}.pdf", ContentFile(pdf_bytes)
            )
            records.append(
                EvidenceFile(
                    item=item,
                    unit=unit,
                    year=year,
                    position=photo_count,
                    file=name,
                    original_name="会议纪要.pdf",
                    kind="pdf",
                    content_type="application/pdf",
                    extension="pdf",
                    size=len(pdf_bytes),
                    sha256=hashlib.sha256(pdf_bytes).hexdigest(),
                    page_count=PDF_FILE_PAGES,
                    uploaded_by=user,
                )
            )
        EvidenceFile.objects.bulk_create(records)

    for n in range(ZIP_PHOTOS // PHOTOS_PER_ITEM):
        file_item(2026, n, PHOTOS_PER_ITEM, False)
    zip_paths = list(paths)
    for n in range(PDF_PHOTOS // 3):
        file_item(2027, n, 3, n < PDF_FILES)
    return campaign, zip_paths


def run_child(export_id: int) -> tuple[float, float]:
    """Build the export in a child process; (seconds, the child's peak RSS in MB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(export_id)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    return seconds, float(done.stdout.strip().splitlines()[-1])


def child(export_id: int) -> None:
    from wenming.ledger.binder.tasks import build_binder

    build_binder.call(export_id)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> int:
    started = time.perf_counter()
    campaign, zip_paths = build()
    total = sum(p.stat().st_size for p in zip_paths)
    print(
        f"数据准备：ZIP 用照片 {len(zip_paths)} 张（{total / 1024**3:.2f} GB），"
        f"PDF 用照片 {PDF_PHOTOS} 张 + PDF {PDF_FILES} 份，用时 {time.perf_counter() - started:.1f} 秒"
    )
    user = User.objects.get(username="cjb")

    copy_dir = Path(DATA_DIR) / "plain-copy"
    copy_dir.mkdir()
    start = time.perf_counter()
    for i, p in enumerate(zip_paths):
        shutil.copyfile(p, copy_dir / f"{i}.jpg")
    copy_seconds = time.perf_counter() - start
    shutil.rmtree(copy_dir)

    zip_export = BinderExport.objects.create(
        campaign=campaign, unit=campaign.unit, format="zip", year=2026, requested_by=user
    )
    zip_seconds, zip_rss = run_child(zip_export.pk)
    zip_export.refresh_from_db()
    assert zip_export.status == ExportStatus.DONE, zip_export.error
    zip_children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    pdf_export = BinderExport.objects.create(
        campaign=campaign, unit=campaign.unit, format="pdf", year=2027, requested_by=user
    )
    pdf_seconds, pdf_rss = run_child(pdf_export.pk)
    pdf_export.refresh_from_db()
    assert pdf_export.status == ExportStatus.DONE, pdf_export.error
    all_children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    from pypdf import PdfReader

    with pdf_export.file.open("rb") as fh:
        pages = len(PdfReader(fh).pages)
    ratio = copy_seconds / zip_seconds
    rows = [
        ("ZIP 导出（子进程，含启动）", f"{zip_seconds:.1f} 秒", f"{total / zip_seconds / 1024**2:.0f} MB/s", ""),
        ("shutil.copyfile 同样文件", f"{copy_seconds:.1f} 秒", f"{total / copy_seconds / 1024**2:.0f} MB/s", ""),
        ("ZIP/复制 吞吐比", f"{ratio:.2f}", f"目标 ≥ {ZIP_RATIO_MIN}", "达标" if ratio >= ZIP_RATIO_MIN else "未达标"),
        ("ZIP 峰值内存", f"{zip_rss:.0f} MB", f"目标 < {RSS_MB:.0f} MB", "达标" if zip_rss < RSS_MB else "未达标"),
        ("PDF 导出（子进程，含启动）", f"{pdf_seconds:.1f} 秒", f"目标 < {PDF_SECONDS:.0f} 秒", "达标" if pdf_seconds < PDF_SECONDS else "未达标"),
        ("PDF 峰值内存", f"{pdf_rss:.0f} MB", f"目标 < {RSS_MB:.0f} MB", "达标" if pdf_rss < RSS_MB else "未达标"),
        ("PDF 页数 / 大小", f"{pages} 页", f"{(pdf_export.size or 0) / 1024**2:.1f} MB", ""),
        ("ZIP 大小", f"{(zip_export.size or 0) / 1024**3:.2f} GB", f"{zip_export.file_count} 个文件", ""),
        ("RUSAGE_CHILDREN 峰值", f"ZIP 后 {zip_children_rss:.0f} MB", f"PDF 后 {all_children_rss:.0f} MB", ""),
    ]  # fmt: skip
    print(f"{'项目':<24}{'结果':>14}{'参考':>22}  结论")
    for name, value, ref, verdict in rows:
        print(f"{name:<24}{value:>14}{ref:>22}  {verdict}")
    ok = ratio >= ZIP_RATIO_MIN and pdf_seconds < PDF_SECONDS and max(zip_rss, pdf_rss) < RSS_MB
    return 0 if ok else 1


if __name__ == "__main__":
    if CHILD:
        child(int(sys.argv[2]))
        sys.exit(0)
    try:
        status = main()
    finally:
        if not CHILD:
            shutil.rmtree(DATA_DIR, ignore_errors=True)
    sys.exit(status)
