"""The PDF binder (台账汇编): cover, contents with page numbers, every standard's proof.

Layout is HTML + CSS rendered by WeasyPrint (template `binder/pdf.html`, style
`binder/pdf.css`), with the Noto CJK fonts embedded.

Memory stays bounded whatever the binder's size because the body is laid out in chunks
(a few 测评项目 at a time, `CHUNK_WEIGHT`), each written to its own file and dropped before
the next; WeasyPrint holds a laid-out document and its images only until it is written.
Page numbers stay true across chunks:

1. The front matter (cover and contents) is laid out first with placeholder numbers, to
   learn how many pages it takes.
2. Each chunk then starts its page counter where the previous one ended
   (`@page :first { counter-reset: page N }`), so footers carry the binder's numbers, and
   `Page.anchors` of the laid-out chunk tells on which page every standard and item landed.
3. The front matter is laid out again with the real numbers (its placeholders are as wide
   as any number, so it cannot grow; blank pages pad it in the rare case it shrinks), and
   the parts are joined with poppler's pdfunite, which copies page by page in a few
   megabytes (pypdf where poppler-utils is missing).

Attached PDF evidence is merged in after its item: the HTML holds one placeholder page
(`div.pdf-slot`, with the binder's header, footer and a small label) per page of the
attachment, whose real page count is read with pypdf first; after layout, pypdf stamps each
attachment page, scaled to fit and centred, into the free area of its placeholder. No page is
added or removed, so every number printed stays true.

Photos are downscaled with Pillow before layout (EXIF orientation applied), on all cores:
the stored thumbnail when there is one, else the original decoded at a reduced scale and
fitted in `PHOTO_MAX_PX`; a photo still over the byte budget (a noisy high-ISO shot) is
re-encoded smaller. This bounds both the PDF size and the memory layout needs.

An item that proves several standards is printed in full under the first one; later
standards show a line pointing to that page.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import math
import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter, Transformation

from wenming.core.points import fmt_points
from wenming.ledger.binder.select import BinderNode, Selection, live_files
from wenming.ledger.files import FileKind
from wenming.ledger.models import BinderExport, EvidenceFile, EvidenceItem

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

PHOTO_MAX_PX = 1200
PHOTO_BUDGET_BYTES = 160 * 1024
# Photos, attachment pages and items laid out at once; bounds WeasyPrint's memory.
CHUNK_WEIGHT = 80
PHOTO_QUALITY = 80
COPY_BUFFER = 1024 * 1024

# Page geometry shared with binder/pdf.css (mm): where an attachment page is stamped.
MM = 72 / 25.4
PAGE_W, PAGE_H = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = 22, 20, 18
SLOT_LABEL = 9


@dataclass
class Photo:
    src: str
    caption: str


@dataclass
class Slot:
    id: str
    label: str


@dataclass
class Attachment:
    record: EvidenceFile
    path: Path | None = None
    pages: int = 0
    problem: str = ""


@dataclass
class ItemView:
    item: EvidenceItem
    anchor: str
    first: bool
    # The page the item is printed on, once known (for "见第N页" from later chunks).
    page: int | None = None
    photos: list[Photo] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)

    @property
    def photo_rows(self) -> list[list[Photo | None]]:
        """Photos two to a row, the last row padded."""
        rows: list[list[Photo | None]] = []
        for i in range(0, len(self.photos), 2):
            pair: list[Photo | None] = list(self.photos[i : i + 2])
            rows.append(pair + [None] * (2 - len(pair)))
        return rows


@dataclass
class Entry:
    """One node as the contents and the body show it."""

    bn: BinderNode
    anchor: str
    depth: int
    points: str
    items: list[ItemView] = field(default_factory=list)
    page: int | None = None

    @property
    def weight(self) -> int:
        return 1 + sum(1 + len(v.photos) + len(v.slots) for v in self.items)


def _copy_from_storage(record_file: Any, dest: Path) -> None:
    with record_file.storage.open(record_file.name, "rb") as src, dest.open("wb") as dst:
        shutil.copyfileobj(src, dst, COPY_BUFFER)


def prepare_photo(record: EvidenceFile, work: Path) -> Path | None:
    """A print-sized upright JPEG of the photo in `work`, or None when it cannot be read."""
    dest = work / f"photo-{record.pk}.jpg"
    try:
        if record.thumbnail:
            # Thumbnails are already upright RGB JPEGs.
            _copy_from_storage(record.thumbnail, dest)
            return dest
        with record.file.storage.open(record.file.name, "rb") as fh, Image.open(fh) as im:
            if im.format == "JPEG":
                # Decode at a reduced scale: a 12-megapixel photo costs a fraction.
                # draft() keeps the result at least this size: 4000 px → 1000 px at 1/4.
                im.draft("RGB", (PHOTO_MAX_PX // 2, PHOTO_MAX_PX // 2))
            im.load()
            upright = ImageOps.exif_transpose(im)
            upright.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
            if upright.mode != "RGB":
                upright = upright.convert("RGB")
            upright.save(dest, "JPEG", quality=PHOTO_QUALITY)
            size = dest.stat().st_size
            if size > PHOTO_BUDGET_BYTES:
                factor = math.sqrt(PHOTO_BUDGET_BYTES / size)
                w, h = upright.size
                upright.resize((max(1, int(w * factor)), max(1, int(h * factor)))).save(
                    dest, "JPEG", quality=PHOTO_QUALITY
                )
        return dest
    except (OSError, ValueError, Image.DecompressionBombError):
        log.warning("binder: photo %s could not be prepared", record.pk, exc_info=True)
        return None


def prepare_attachment(record: EvidenceFile, work: Path) -> Attachment:
    dest = work / f"attach-{record.pk}.pdf"
    att = Attachment(record=record)
    try:
        _copy_from_storage(record.file, dest)
        reader = PdfReader(dest)
        if reader.is_encrypted:
            att.problem = "（文件已加密，未能并入，请查看原文件）"
            return att
        att.pages = len(reader.pages)
        att.path = dest
    except Exception:  # pypdf raises many kinds of errors for a damaged file
        log.warning("binder: PDF %s could not be read", record.pk, exc_info=True)
        att.problem = "（文件无法读取，未能并入，请查看原文件）"
    return att


def _caption(n: int, record: EvidenceFile) -> str:
    text = f"图{n}  {record.original_name}"
    if record.taken_at:
        text += f"（拍摄于 {timezone.localtime(record.taken_at):%Y-%m-%d %H:%M}）"
    return text


def _scope_lines(export: BinderExport, standard_count: int) -> list[str]:
    lines = []
    lines.append(f"部门：{export.department.name}" if export.department else "范围：全单位")
    if export.year:
        lines.append(f"年度：{export.year}年")
    else:
        c = export.campaign
        lines.append(f"创建周期：{c.cycle_start.year}—{c.cycle_end.year}年")
    if export.pk and export.standards.exists():
        lines.append(f"测评标准：选定的{standard_count}项")
    if export.approved_only:
        lines.append("只收录审核通过的台账")
    return lines


def build_context(
    export: BinderExport, selection: Selection, work: Path, progress: Progress
) -> tuple[dict[str, Any], dict[str, Attachment]]:
    """The template context; returns it with the attachments by placeholder id prefix."""
    entries = [
        Entry(
            bn=bn,
            anchor=f"n{bn.node.pk}",
            depth=len(bn.trail) - 1,
            points=fmt_points(bn.node.points) if bn.node.points is not None else "—",
        )
        for bn in selection.walk()
    ]
    photos, pdfs = _files_to_prepare(entries)
    photo_paths, attachments = _prepare_files(photos, pdfs, work, progress)
    slots: dict[str, Attachment] = {}
    first_seen: set[int] = set()
    for entry in entries:
        for item in entry.bn.items:
            view = ItemView(item=item, anchor=f"i{item.pk}", first=item.pk not in first_seen)
            entry.items.append(view)
            if view.first:
                first_seen.add(item.pk)
                _show_files(view, photo_paths, attachments, slots)
    campaign = export.campaign
    context = {
        "export": export,
        "unit": export.unit,
        "campaign": campaign,
        "honour": campaign.title,
        "scope_lines": _scope_lines(export, len(selection.standards)),
        "today": timezone.localdate(),
        "entries": entries,
        "item_count": selection.item_count,
        "standard_count": len(selection.standards),
        "css_unit": css_string(export.unit.name),
    }
    return context, slots


def _files_to_prepare(
    entries: list[Entry],
) -> tuple[dict[int, EvidenceFile], dict[int, EvidenceFile]]:
    """The photos and PDFs of every item, once each (an item may prove several standards)."""
    seen: set[int] = set()
    photos: dict[int, EvidenceFile] = {}
    pdfs: dict[int, EvidenceFile] = {}
    for entry in entries:
        for item in entry.bn.items:
            if item.pk in seen:
                continue
            seen.add(item.pk)
            for f in live_files(item):
                if f.kind == FileKind.PHOTO:
                    photos[f.pk] = f
                elif f.kind == FileKind.PDF:
                    pdfs[f.pk] = f
    return photos, pdfs


def _prepare_files(
    photos: dict[int, EvidenceFile],
    pdfs: dict[int, EvidenceFile],
    work: Path,
    progress: Progress,
) -> tuple[dict[int, Path | None], dict[int, Attachment]]:
    """Photos scaled for print and PDFs split into pages, reporting progress (2–50 %)."""
    total = max(1, len(photos) + len(pdfs))
    done = 0
    photo_paths: dict[int, Path | None] = {}
    # Pillow releases the GIL while it decodes and encodes: threads use every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        prepared = pool.map(lambda r: (r.pk, prepare_photo(r, work)), photos.values())
        for pk, path in prepared:
            photo_paths[pk] = path
            done += 1
            progress(2 + done * 48 // total, f"正在处理照片和附件（{done}/{total}）")
    attachments: dict[int, Attachment] = {}
    for pk, record in pdfs.items():
        attachments[pk] = prepare_attachment(record, work)
        done += 1
        progress(2 + done * 48 // total, f"正在处理照片和附件（{done}/{total}）")
    return photo_paths, attachments


def _show_files(
    view: ItemView,
    photo_paths: dict[int, Path | None],
    attachments: dict[int, Attachment],
    slots: dict[str, Attachment],
) -> None:
    """Put an item's files on its first page: photos inline, PDF pages as slots, the rest
    listed by name."""
    n = 0
    for f in live_files(view.item):
        if f.kind == FileKind.PHOTO:
            path = photo_paths.get(f.pk)
            if path is not None:
                n += 1
                view.photos.append(Photo(src=path.as_uri(), caption=_caption(n, f)))
            else:
                view.others.append(f"{f.original_name}（照片无法显示，请查看原文件）")
        elif f.kind == FileKind.PDF and attachments[f.pk].path is not None:
            att = attachments[f.pk]
            view.others.append(f"{f.original_name}（PDF，{att.pages}页，附后）")
            for k in range(att.pages):
                slot_id = f"slot-{f.pk}-{k}"
                slots[slot_id] = att
                view.slots.append(
                    Slot(
                        id=slot_id, label=f"附件：{f.original_name}（第{k + 1}页，共{att.pages}页）"
                    )
                )
        else:
            note = attachments[f.pk].problem if f.kind == FileKind.PDF else ""
            view.others.append(
                f"{f.original_name}（{f.get_kind_display()}，{_size(f.size)}）{note}"
            )


def _size(size: int) -> str:
    from wenming.ledger.binder.index import human_size

    return human_size(size)


def css_string(text: str) -> str:
    """`text` as a CSS string literal, safe inside a <style> element."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " -_·（）()":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def render_html(context: dict[str, Any]) -> str:
    css = render_to_string("binder/pdf.css", context)
    return render_to_string("binder/pdf.html", {**context, "css": css})


def merge_attachments(binder: Path, out: Path, placed: dict[int, tuple[Attachment, int]]) -> None:
    """Stamp each attachment page onto its placeholder page (page index → (file, page))."""
    writer = PdfWriter(clone_from=str(binder))
    box_x = MARGIN_SIDE * MM
    box_y = MARGIN_BOTTOM * MM
    box_w = (PAGE_W - 2 * MARGIN_SIDE) * MM
    box_h = (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - SLOT_LABEL) * MM
    readers: dict[Path, PdfReader] = {}
    for index, (att, k) in sorted(placed.items()):
        assert att.path is not None
        reader = readers.get(att.path)
        if reader is None:
            readers.clear()  # one attachment open at a time: slots of a file are contiguous
            reader = readers[att.path] = PdfReader(att.path)
        src = reader.pages[k]
        if src.rotation:
            src.transfer_rotation_to_content()
        box = src.mediabox
        w, h = float(box.width), float(box.height)
        if w <= 0 or h <= 0:
            continue
        s = min(box_w / w, box_h / h)
        tx = box_x + (box_w - w * s) / 2 - float(box.left) * s
        ty = box_y + (box_h - h * s) / 2 - float(box.bottom) * s
        writer.pages[index].merge_transformed_page(
            src, Transformation().scale(s, s).translate(tx, ty)
        )
    with out.open("wb") as fh:
        writer.write(fh)


def chunked(entries: list[Entry]) -> list[list[Entry]]:
    """Entries in runs of about `CHUNK_WEIGHT`, split before a 测评项目 where possible and
    before a standard only when one 测评项目 alone is far over the weight."""
    chunks: list[list[Entry]] = []
    current: list[Entry] = []
    weight = 0
    for entry in entries:
        full = weight + entry.weight > CHUNK_WEIGHT
        split = (full and entry.depth == 0) or (
            weight + entry.weight > 2 * CHUNK_WEIGHT and entry.bn.is_standard
        )
        if current and split:
            chunks.append(current)
            current, weight = [], 0
        current.append(entry)
        weight += entry.weight
    if current:
        chunks.append(current)
    return chunks


def _release_memory() -> None:
    """Give a dropped chunk's memory back to the system before the next one is laid out.

    Without this, glibc keeps the freed layout in the process and the peak grows chunk by
    chunk instead of staying at one chunk's worth.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the allocator decides
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _layout(context: dict[str, Any], work: Path) -> Any:
    from weasyprint import HTML

    return HTML(string=render_html(context), base_url=str(work)).render()


def render_pdf(
    export: BinderExport, selection: Selection, work: Path, out: Path, progress: Progress
) -> None:
    # WeasyPrint logs every page it lays out at INFO; a 500-page binder would flood the log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    context, slots = build_context(export, selection, work, progress)
    entries: list[Entry] = context["entries"]

    progress(52, "正在排版目录")
    front_pages = len(_layout({**context, "front": True}, work).pages)

    files: list[Path] = []
    next_page = front_pages + 1
    item_pages: dict[int, int] = {}
    chunks = chunked(entries)
    for n, chunk in enumerate(chunks, 1):
        progress(52 + n * 38 // len(chunks), f"正在排版正文（{n}/{len(chunks)}）")
        for entry in chunk:
            for view in entry.items:
                if not view.first:
                    view.page = item_pages.get(view.item.pk)
        document = _layout({**context, "body": chunk, "start_page": next_page}, work)
        placed: dict[int, tuple[Attachment, int]] = {}
        by_anchor = {e.anchor: e for e in chunk}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor in slots:
                    placed[index] = (slots[anchor], int(anchor.rsplit("-", 1)[1]))
                elif anchor in by_anchor and by_anchor[anchor].page is None:
                    by_anchor[anchor].page = next_page + index
                elif anchor.startswith("i") and anchor[1:].isdigit():
                    item_pages.setdefault(int(anchor[1:]), next_page + index)
        next_page += len(document.pages)
        laid_out = work / f"chunk-{n}.pdf"
        document.write_pdf(laid_out)
        del document
        _release_memory()
        if placed:
            merged = work / f"chunk-{n}-merged.pdf"
            merge_attachments(laid_out, merged, placed)
            laid_out.unlink()
            laid_out = merged
        files.append(laid_out)

    progress(92, f"正在生成目录（共{next_page - 1}页）")
    front = work / "front.pdf"
    document = _layout({**context, "front": True, "numbered": True}, work)
    # Placeholders are as wide as any real number, so the contents can only get shorter;
    # blank pages keep the body's numbers true if they do.
    padding = front_pages - len(document.pages)
    if padding < 0:  # pragma: no cover - impossible with the wide placeholders
        raise RuntimeError("contents grew once numbered")
    document.write_pdf(front)
    del document

    progress(95, "正在装订成册")
    join_pdfs([front, *files], out, blank_after_first=padding)


def join_pdfs(files: list[Path], out: Path, *, blank_after_first: int = 0) -> None:
    """Join the laid-out parts into one file.

    Poppler's pdfunite copies page by page in a few megabytes whatever the size; pypdf,
    the fallback where poppler-utils is missing, holds the whole file in memory.
    """
    pdfunite = shutil.which("pdfunite")
    if pdfunite and not blank_after_first:
        subprocess.run([pdfunite, *map(str, files), str(out)], check=True, capture_output=True)
        return
    writer = PdfWriter()
    writer.append(str(files[0]))
    for _ in range(blank_after_first):  # pragma: no cover - see render_pdf
        writer.add_blank_page(PAGE_W * MM, PAGE_H * MM)
    for path in files[1:]:
        writer.append(str(path))
    with out.open("wb") as fh:
        writer.write(fh)
