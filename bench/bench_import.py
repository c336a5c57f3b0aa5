"""Benchmark: import a 1,000-standard evaluation system from .xlsx, .xls and .docx, and
export it again.

Run with `.venv/bin/python bench/bench_import.py` (or `make bench`). It uses its own
temporary SQLite database and data directory, so it never touches var/ or a running server.
Targets (median of 5 runs): import (parse + checks + save) of the .xlsx < 2 s; through the
full service (`services.read_upload`: format detection + table reading + layout reading, and
`services.framework_import`: the same plus checks and save) the .xls < 2 s and the .docx
< 3 s; peak memory < 200 MB. The .xls is the .xlsx converted by LibreOffice; without
`soffice` that measurement is skipped (and says so). The .docx is one Word table written
with python-docx, items and contents merged vertically (w:vMerge) as Word writes them.
Exits with status 1 when a target is missed.
"""

from __future__ import annotations

import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

RUNS = 5
TARGET_SECONDS = 2.0
TARGET_XLS_SECONDS = 2.0
TARGET_DOCX_SECONDS = 3.0
TARGET_MB = 200
SOFFICE_TIMEOUT = 120

DATA_DIR = tempfile.mkdtemp(prefix="wenming-bench-")
os.environ["WENMING_DATA_DIR"] = DATA_DIR
os.environ["DATABASE_URL"] = f"sqlite:///{Path(DATA_DIR) / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "wenming.settings"
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

import docx  # noqa: E402
from django.core.management import call_command  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment  # noqa: E402

from wenming.frameworks import services  # noqa: E402
from wenming.frameworks.io import excel  # noqa: E402
from wenming.frameworks.io import spec as spec_mod  # noqa: E402
from wenming.orgs.models import Organization, OrgKind  # noqa: E402

ITEMS = [
    "组织领导",
    "理想信念教育",
    "社会主义核心价值观",
    "思想道德建设",
    "诚信建设",
    "学习型机关建设",
    "文明服务",
    "文化建设",
    "志愿服务",
    "环境建设",
]
VERBS = ["建立", "健全", "开展", "落实", "制定", "组织", "推进", "完善", "深化", "加强"]
OBJECTS = [
    "精神文明建设专题会议制度",
    "年度创建实施方案",
    "干部职工理论学习计划",
    "道德讲堂活动",
    "志愿服务队伍",
    "文明科室评比",
    "诚信承诺公示",
    "窗口服务规范",
    "环境卫生责任区",
    "移风易俗宣传",
    "传统节日主题活动",
    "网络文明传播",
    "家风家训教育",
    "文明餐桌行动",
]
DETAILS = [
    "每年不少于2次，有记录",
    "有方案、有总结、有照片",
    "覆盖率达到90%以上",
    "群众满意率高于90%",
    "台账齐全、分类科学",
    "主要负责人亲自部署",
    "纳入年度目标责任考核",
    "定期通报工作进展",
]
METHODS = ["材料审核", "实地考察", "问卷调查", "网络调查", "材料审核、实地考察"]
EVIDENCE = [
    "会议纪要不少于2份；现场图片不少于3份",
    "正式文件",
    "总结报告",
    "统计表格",
    "媒体报道截图",
]


def build_sheet(seed: int = 2025) -> bytes:
    """10 items × 10 contents × 10 standards, merged item/content cells, 合计, bonus, deduction, veto."""
    rnd = random.Random(seed)
    book = Workbook()
    ws = book.active
    ws.title = "测评体系"
    ws.append(["临州市文明单位测评体系（2025年版）"])
    ws.append(["发布机关：临州市精神文明建设委员会办公室；级别：市级；基本分：100分"])
    ws.append(["序号", "测评项目", "测评内容", "测评标准", "分值", "测评方法", "佐证材料", "备注"])
    ws.merge_cells("A1:H1")
    ws.merge_cells("A2:H2")
    wrap = Alignment(wrap_text=True, vertical="center")
    row = 3
    for i, item in enumerate(ITEMS):
        item_first = row + 1
        for j in range(10):
            content_first = row + 1
            for k in range(10):
                row += 1
                text = f"{rnd.choice(VERBS)}{rnd.choice(OBJECTS)}，{rnd.choice(DETAILS)}（第{k + 1}项）"
                points = "0.1分" if (i + j + k) % 2 else 0.1
                ws.append(
                    [
                        None,
                        f"{item}（10分）" if j == k == 0 else None,
                        f"{item}内容{j + 1}（1分）" if k == 0 else None,
                        text,
                        points,
                        rnd.choice(METHODS),
                        rnd.choice(EVIDENCE),
                        "按年度提交" if k == 9 else None,
                    ]
                )
                ws.cell(row, 4).alignment = wrap
            ws.merge_cells(start_row=content_first, start_column=3, end_row=row, end_column=3)
        ws.merge_cells(start_row=item_first, start_column=2, end_row=row, end_column=2)
    ws.append(["合计", None, None, None, 100])
    ws.append(["特色指标（加分项，最高加10分）"])
    for n in range(5):
        ws.append(
            [
                None,
                None,
                None,
                f"获得{['市级', '省级', '全国'][n % 3]}文明创建表彰或经验推广（{n + 1}）",
                2,
            ]
        )
    ws.append(["负面清单（扣分项，最多扣20分）"])
    for n in range(5):
        ws.append([None, None, None, f"窗口服务、环境卫生等问题被通报（{n + 1}）", "每起扣2分"])
    ws.append(["一票否决项"])
    for n in range(5):
        ws.append([None, None, None, f"发生严重违纪违法、重大安全事故等情形（{n + 1}）"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_xls(xlsx: bytes, workdir: Path) -> tuple[bytes | None, str]:
    """The .xlsx converted to .xls by LibreOffice, or None and why it could not be."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None, "未安装 LibreOffice（找不到 soffice 命令）"
    source = workdir / "bench.xlsx"
    source.write_bytes(xlsx)
    profile = Path(tempfile.mkdtemp(prefix="wenming-bench-lo-"))
    command = [
        soffice,
        "--headless",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "xls",
        "--outdir",
        str(workdir),
        str(source),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"LibreOffice 转换超过 {SOFFICE_TIMEOUT} s 未完成"
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    target = workdir / "bench.xls"
    if done.returncode != 0 or not target.exists():
        error = done.stderr.decode(errors="replace").strip() or f"退出码 {done.returncode}"
        return None, f"LibreOffice 转换失败：{error}"
    return target.read_bytes(), ""


def _vmerge(cell: Any, first: bool) -> None:
    """Word's vertical merge: the first cell restarts, the cells below continue it (a bare
    `<w:vMerge/>`, as Word writes it)."""
    mark = OxmlElement("w:vMerge")
    if first:
        mark.set(qn("w:val"), "restart")
    cell._tc.get_or_add_tcPr().append(mark)


def _span(row: Any, columns: int) -> None:
    """Word's horizontal merge: the first cell spans `columns` grid columns (w:gridSpan)."""
    cells = row._tr.tc_lst
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), str(columns))
    cells[0].get_or_add_tcPr().append(span)
    for extra in cells[1:columns]:
        row._tr.remove(extra)


def build_docx(seed: int = 2025) -> bytes:
    """The same 10 items × 10 contents × 10 standards as one Word table, with 合计."""
    rnd = random.Random(seed)
    document = docx.Document()
    document.add_paragraph("临州市文明单位测评体系（2025年版）")
    document.add_paragraph("发布机关：临州市精神文明建设委员会办公室；级别：市级；基本分：100分")
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    header = ["序号", "测评项目", "测评内容", "测评标准", "分值", "测评方法"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for i, item in enumerate(ITEMS):
        for j in range(10):
            for k in range(10):
                cells = table.add_row().cells
                if j == k == 0:
                    cells[0].text = str(i + 1)
                    cells[1].text = f"{item}（10分）"
                if k == 0:
                    cells[2].text = f"{item}内容{j + 1}（1分）"
                _vmerge(cells[0], j == k == 0)
                _vmerge(cells[1], j == k == 0)
                _vmerge(cells[2], k == 0)
                text = f"{rnd.choice(VERBS)}{rnd.choice(OBJECTS)}，{rnd.choice(DETAILS)}"
                cells[3].text = f"{text}（第{k + 1}项）"
                cells[4].text = "0.1"
                cells[5].text = rnd.choice(METHODS)
    total = table.add_row()
    total.cells[0].text = "合计"
    total.cells[4].text = "100"
    _span(total, 4)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def check_reading(content: bytes, filename: str, standards: int) -> bool:
    """Read once through the service before timing; print what went wrong if it did not read."""
    reading = services.read_upload(content, filename)
    count = reading.tree.summary()["standards"]
    if reading.ok and count == standards:
        return True
    print(f"  {filename} 读取有误：ok={reading.ok}，读出 {count} 条测评标准（应为 {standards} 条）")
    for problem in reading.problems:
        print(f"    问题：{problem}")
    for warning in reading.warnings:
        print(f"    提示：{warning}")
    return False


def _spread(times: list[float]) -> str:
    return f"中位数 {statistics.median(times):.3f} s（最快 {min(times):.3f} s，最慢 {max(times):.3f} s）"


def measure_service(
    label: str, content: bytes, filename: str, owner: Organization, standards: int, target: float
) -> bool:
    """Time read_upload and framework_import RUNS times each; True when every target is met."""
    print(f"{label}：{len(content) / 1024:.0f} KB，{standards} 条测评标准")
    if not check_reading(content, filename, standards):
        return False
    warm = services.framework_import(content=content, filename=filename, owner=owner, user=None)
    if not warm.ok:
        print(f"  {filename} 导入失败：{[str(p) for p in warm.problems]}")
        return False

    read_times: list[float] = []
    import_times: list[float] = []
    for run in range(1, RUNS + 1):
        started = time.perf_counter()
        reading = services.read_upload(content, filename)
        read_times.append(time.perf_counter() - started)
        assert reading.ok and reading.tree.summary()["standards"] == standards, reading.problems
        started = time.perf_counter()
        result = services.framework_import(
            content=content, filename=filename, owner=owner, user=None
        )
        import_times.append(time.perf_counter() - started)
        assert result.ok and result.summary["standards"] == standards, result.problems
        print(
            f"  第{run}次：读取 read_upload {read_times[-1]:.3f} s；"
            f"导入 framework_import（第{result.framework.version}版）{import_times[-1]:.3f} s"
        )

    tracemalloc.start()
    result = services.framework_import(content=content, filename=filename, owner=owner, user=None)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok

    median = statistics.median(import_times)
    peak_mb = peak / (1024 * 1024)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    ok_time, ok_mem = median < target, max(peak_mb, rss_mb) < TARGET_MB
    print(f"  读取 read_upload：{_spread(read_times)}")
    print(
        f"  导入 framework_import：{_spread(import_times)}"
        f"（目标 < {target:g} s）{'PASS' if ok_time else 'FAIL'}"
    )
    print(
        f"  读取+保存的 tracemalloc 峰值：{peak_mb:.1f} MB；进程最大常驻内存 ru_maxrss：{rss_mb:.1f} MB"
        f"（目标 < {TARGET_MB} MB）{'PASS' if ok_mem else 'FAIL'}"
    )
    return ok_time and ok_mem


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    owner = Organization.objects.create(
        kind=OrgKind.OFFICE, name="临州市文明办（基准测试）", code="BENCH"
    )
    content = build_sheet()
    print(
        f"生成的表格：{len(content) / 1024:.0f} KB，1000 条基本测评标准 + 5 加分 + 5 扣分 + 5 一票否决"
    )

    # Warm up imports and caches once, outside the timed runs.
    warm = services.framework_import(content=content, filename="bench.xlsx", owner=owner, user=None)
    assert warm.ok, [str(p) for p in warm.problems]

    times = []
    framework = warm.framework
    for run in range(1, RUNS + 1):
        started = time.perf_counter()
        result = services.framework_import(
            content=content, filename="bench.xlsx", owner=owner, user=None
        )
        elapsed = time.perf_counter() - started
        assert result.ok and result.summary["standards"] == 1015, result.problems
        framework = result.framework
        times.append(elapsed)
        print(f"  第{run}次导入（第{framework.version}版）：{elapsed:.3f} s")

    tracemalloc.start()
    result = services.framework_import(
        content=content, filename="bench.xlsx", owner=owner, user=None
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok

    started = time.perf_counter()
    exported = excel.dump(spec_mod.from_framework(framework))
    dump_seconds = time.perf_counter() - started
    assert excel.load(exported).summary()["standards"] == 1015

    median = statistics.median(times)
    peak_mb = peak / (1024 * 1024)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    ok_time, ok_mem = median < TARGET_SECONDS, max(peak_mb, rss_mb) < TARGET_MB
    print(
        f"导入中位数：{median:.3f} s（目标 < {TARGET_SECONDS:g} s）{'PASS' if ok_time else 'FAIL'}"
    )
    print(
        f"解析+保存的 tracemalloc 峰值：{peak_mb:.1f} MB；进程最大常驻内存 ru_maxrss：{rss_mb:.1f} MB"
        f"（目标 < {TARGET_MB} MB）{'PASS' if ok_mem else 'FAIL'}"
    )
    print(
        f"导出 excel.dump（含 from_framework）：{dump_seconds:.3f} s，{len(exported) / 1024:.0f} KB"
    )

    ok_formats = True
    xls, why = build_xls(content, Path(DATA_DIR))
    if xls is None:
        print(f"跳过 .xls 测量：{why}")
    else:
        ok_formats &= measure_service(
            "LibreOffice 转换的 .xls", xls, "bench.xls", owner, 1015, TARGET_XLS_SECONDS
        )
    ok_formats &= measure_service(
        "生成的 Word 表格 .docx", build_docx(), "bench.docx", owner, 1000, TARGET_DOCX_SECONDS
    )
    return 0 if ok_time and ok_mem and ok_formats else 1


if __name__ == "__main__":
    try:
        status = main()
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(DATA_DIR, ignore_errors=True)
    sys.exit(status)
