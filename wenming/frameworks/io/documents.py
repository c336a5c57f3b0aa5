"""Any uploaded evaluation-system document read into tables: `read_document`.

The format is decided from the content, never from the file name: offices rename files
freely (an .xls that is really .xlsx, a "docx" that is a PDF). ZIP packages are told apart
by their parts (xl/workbook.xml, word/document.xml, an OpenDocument mimetype), OLE2 compound
files by their streams (Workbook/Book: .xls and WPS .et; WordDocument: .doc and WPS .wps;
EncryptionInfo/EncryptedPackage: a password-protected Office file), anything else by its
signature, and each gets a Chinese message saying what it is and what to upload instead.

Every container is checked before a parser sees it (formats/packages.py for ZIPs,
formats/ole.py for OLE2), so bombs are refused quickly and cheaply. The readers live in
formats/: xlsx (openpyxl), sheets (.xls/.et/.ods through python-calamine, xlrd), word
(.docx table XML), convert (LibreOffice for .doc/.wps/.odt/.rtf).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePath

from wenming.frameworks.io.formats import convert, ole, packages, sheets, word, xlsx
from wenming.frameworks.io.formats.common import refuse
from wenming.frameworks.io.tables import Document, Table

__all__ = ["read_document"]

PASSWORD = sheets.PASSWORD
SCANNED = "这份文件是扫描件或图片，平台无法读取其中的文字，请向文明办索取 Word 或 Excel 电子版"
EMPTY_WORKBOOK = "工作簿中的工作表都是空的，请确认上传的是测评体系表格"
ORIGINAL = "请上传文明办下发的 Word 或 Excel 原件"
SAVE_AS_DOCX = "请用 Word 或 WPS 另存为 .docx 后再导入"
NO_CONVERTER = "该文件是{what}格式，服务器未安装转换组件，请用 Word 或 WPS 另存为 .docx 后再导入"
UNKNOWN = (
    "无法识别文件“{name}”的格式；请上传 Excel（.xlsx、.xls、.et、.ods）"
    "或 Word（.docx、.doc、.wps）文件"
)
# What a non-Office file is, by its first bytes, and what to do instead.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", f"这是 PDF 文件，平台无法从 PDF 中读取表格，{ORIGINAL}"),
    (b"\x89PNG", f"这是图片文件（PNG），平台无法读取图片中的文字，{ORIGINAL}"),
    (b"\xff\xd8\xff", f"这是图片文件（JPEG），平台无法读取图片中的文字，{ORIGINAL}"),
    (b"GIF8", f"这是图片文件（GIF），平台无法读取图片中的文字，{ORIGINAL}"),
    (b"BM", f"这是图片文件（BMP），平台无法读取图片中的文字，{ORIGINAL}"),
    (b"II*\x00", f"这是图片文件（TIFF），平台无法读取图片中的文字，{ORIGINAL}"),
    (b"MM\x00*", f"这是图片文件（TIFF），平台无法读取图片中的文字，{ORIGINAL}"),
    (b"Rar!", "这是压缩包（RAR），请解压后上传其中的 Excel 或 Word 文件"),
    (b"7z\xbc\xaf\x27\x1c", "这是压缩包（7z），请解压后上传其中的 Excel 或 Word 文件"),
    (b"\x1f\x8b", "这是压缩包（gzip），请解压后上传其中的 Excel 或 Word 文件"),
]
PACKAGES = {
    "xlsb": "这是 Excel 二进制工作簿（.xlsb），请用 Excel 另存为 .xlsx 后再导入",
    "pptx": f"这是 PowerPoint 演示文稿，不是 Excel 或 Word 文件；{ORIGINAL}",
    "odp": f"这是演示文稿（.odp），不是 Excel 或 Word 文件；{ORIGINAL}",
    "ofd": f"这是 OFD 版式文件，平台无法从中读取表格，{ORIGINAL}",
    "office": "无法识别这个 Office 文件的类型，请用 Excel 或 Word 打开后另存为 .xlsx 或 .docx 再导入",
    "zip": "这是压缩包（ZIP），请解压后上传其中的 Excel 或 Word 文件",
}
CORRUPT_OLE = (
    "文件已损坏，无法作为 Excel 或 Word 文件读取；请用 Excel、Word 或 WPS 打开确认后另存再导入"
)
OTHER_OLE = (
    "这个文件不是 Excel 或 Word 文档（可能是其他程序的文件）；"
    "请上传测评体系的 Excel（.xlsx、.xls、.et）或 Word（.docx、.doc、.wps）文件"
)
MIN_TEXT = 50  # fewer visible characters than this beside pictures: a scanned document


def read_document(content: bytes, filename: str) -> Document:
    """Read an uploaded .xlsx/.xlsm/.xls/.et/.ods/.docx/.doc/.wps (also .odt and .rtf,
    converted) into a Document. Raises ImportFailed with a Chinese message saying what the
    file really is and what to upload instead when it cannot be read."""
    extension = PurePath(filename or "").suffix.lower()
    if not content:
        raise refuse("上传的文件是空的，请重新选择测评体系的 Excel 或 Word 文件")
    if content.startswith(ole.MAGIC):
        return _read_compound(content, filename, extension)
    if content.startswith(b"PK"):
        archive = packages.open_zip(content)
        if archive is None:
            raise refuse("文件已损坏（压缩包结构不完整），请用原软件打开确认后另存再导入")
        with archive:
            return _read_package(content, archive, filename)
    if content.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"{\\rtf"):
        return _converted(content, "rtf", "rtf", filename, "RTF 文档（.rtf）")
    raise refuse(_what_else(content, filename))


def _read_compound(content: bytes, filename: str, extension: str) -> Document:
    try:
        compound = ole.CompoundFile(content)
        streams = compound.top_level()
    except ole.NotCompound as exc:
        raise refuse(CORRUPT_OLE) from exc
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise refuse(PASSWORD)
    workbook = streams.get("Workbook") or streams.get("Book")
    if workbook is not None:
        try:
            stream = compound.read(workbook)
        except ole.NotCompound as exc:
            raise refuse(CORRUPT_OLE) from exc
        tables, pictures = sheets.read_xls(content, stream)
        _check_not_scanned(tables, pictures)
        return Document("et" if extension == ".et" else "xls", filename, tables)
    if "WordDocument" in streams:
        try:
            encrypted = ole.word_encrypted(compound.read(streams["WordDocument"], 64))
        except ole.NotCompound as exc:
            raise refuse(CORRUPT_OLE) from exc
        if encrypted:
            raise refuse(PASSWORD)
        kind = "wps" if extension == ".wps" else "doc"
        return _converted(content, kind, kind, filename, "旧版 Word（.doc/.wps）")
    if "PowerPoint Document" in streams:
        raise refuse(PACKAGES["pptx"])
    raise refuse(OTHER_OLE)


def _read_package(content: bytes, archive: zipfile.ZipFile, filename: str) -> Document:
    kind = packages.package_kind(archive)
    if kind in PACKAGES:
        raise refuse(PACKAGES[kind])
    packages.check_limits(archive)
    names = archive.namelist()
    if kind == "xlsx":
        tables = xlsx.read_xlsx(content, archive)
        pictures = any(n.startswith("xl/media/") for n in names)
        _check_not_scanned(tables, pictures)
        return Document("xlsx", filename, tables)
    if kind == "ods":
        tables = sheets.read_ods(content, archive)
        _check_not_scanned(tables, any(n.startswith("Pictures/") for n in names))
        return Document("ods", filename, tables)
    if kind == "odt":
        return _converted(content, "odt", "odt", filename, "OpenDocument 文本（.odt）")
    return _word_document(archive, "docx", filename)


def _word_document(archive: zipfile.ZipFile, kind: str, filename: str) -> Document:
    body = word.read_docx(archive)
    empty = not any(table.rows for table in body.tables)  # a scan may sit in a table's cell
    if empty and body.pictures and body.text_length < MIN_TEXT:
        raise refuse(SCANNED)
    return Document(kind, filename, body.tables, paragraphs=body.paragraphs)


def _converted(content: bytes, source: str, kind: str, filename: str, what: str) -> Document:
    """An old or foreign word-processing file, converted to .docx by LibreOffice."""
    converted = convert.convert(content, source, "docx", advice=SAVE_AS_DOCX)
    if converted is None:
        raise refuse(NO_CONVERTER.format(what=what))
    archive = packages.open_zip(converted)
    if archive is None or packages.package_kind(archive) != "docx":
        raise refuse(f"无法转换该文件，文件可能已损坏；{SAVE_AS_DOCX}")
    with archive:
        packages.check_limits(archive)
        return _word_document(archive, kind, filename)


def _check_not_scanned(tables: list[Table], pictures: bool) -> None:
    if any(table.rows for table in tables):
        return
    raise refuse(SCANNED if pictures else EMPTY_WORKBOOK)


def _what_else(content: bytes, filename: str) -> str:
    """What a file that is neither a ZIP package nor an OLE2 file is, and what to do."""
    head = content[:1024]
    for signature, message in SIGNATURES:
        if head.startswith(signature) or (signature == b"%PDF-" and signature in head):
            return message
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1") or (
        head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    ):
        return f"这是图片文件，平台无法读取图片中的文字，{ORIGINAL}"
    text = _as_text(content[:65536])
    if text is None:
        return UNKNOWN.format(name=filename or "")
    lowered = text.lstrip("\ufeff \r\n\t").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return "这是 Excel 2003 XML 表格，请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
    if lowered.startswith("mime-version") or "content-type: multipart/related" in lowered:
        return "这是网页存档（.mht）文件，请用 Word 或 Excel 打开后另存为 .docx 或 .xlsx 再导入"
    if re.search(r"<(!doctype html|html|table|body)\b", lowered[:4096]):
        return (
            "这是网页（HTML）文件，不是 Excel 或 Word 原件；请用 Excel 或 WPS 打开后"
            "另存为 .xlsx（或用 Word 另存为 .docx）再导入"
        )
    return "这是纯文本文件（如 CSV 或 TXT），没有表格结构；请上传测评体系的 Excel 或 Word 文件"


def _as_text(data: bytes) -> str | None:
    """The start of the file as text, if it is text (UTF-8, UTF-16 or GB18030)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 4:  # a character cut at the end of the sample
                return data[: exc.start].decode(encoding, "replace")
    return None
