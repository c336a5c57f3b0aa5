"""ZIP-based files (.xlsx/.xlsm, .docx, .ods, .odt...): what is inside, refused before parsing
when it would expand beyond reason (a "zip bomb" declares or hides a huge content)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from wenming.frameworks.io.formats.common import refuse

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # declared size of all members together
MAX_ENTRIES = 10_000
# Parts a parser loads whole into memory (shared strings, styles, Word's document.xml);
# worksheets and .ods content are streamed and are bounded by MAX_UNCOMPRESSED only.
MAX_PART = 10 * 1024 * 1024
MAX_WORD_BODY = 20 * 1024 * 1024  # parsed whole by lxml: about ten times that in memory
STREAMED = ("xl/worksheets/", "content.xml")

ODF_KINDS = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}

# What zipfile raises on a damaged archive or member.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    OSError,
    ValueError,  # UnicodeDecodeError too
    EOFError,
    KeyError,
    RuntimeError,
    NotImplementedError,
)
DAMAGED = "文件已损坏，无法读取其中的内容；请用原软件打开确认后另存再导入"

BOMB = (
    "文件解压后约 {mb}MB，超过{limit}MB 的上限，不像正常的测评体系文件；"
    "请删去与测评体系无关的内容和图片后另存再导入"
)


def open_zip(content: bytes) -> zipfile.ZipFile | None:
    """The archive, or None when the bytes are not a readable ZIP."""
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except ZIP_ERRORS:
        return None


def package_kind(archive: zipfile.ZipFile) -> str:
    """What the ZIP holds: xlsx, xlsb, docx, pptx, ods, odt, odp, ofd, office (another
    Office package), or zip (anything else)."""
    names = set(archive.namelist())
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
        try:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        except ZIP_ERRORS as exc:
            raise refuse(DAMAGED) from exc
        if mimetype in ODF_KINDS:
            return ODF_KINDS[mimetype]
    if "xl/workbook.bin" in names:
        return "xlsb"
    if any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "OFD.xml" in names or "ofd.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        return "office"  # an Office package of an unknown kind (or damaged)
    return "zip"


def check_limits(archive: zipfile.ZipFile) -> None:
    """Refuse archives that declare too much content, before anything is decompressed."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise refuse(f"文件包含的部件过多（{len(infos)}个），不像正常的测评体系文件")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED:
        raise refuse(BOMB.format(mb=declared // 2**20, limit=MAX_UNCOMPRESSED // 2**20))
    for info in infos:
        name = info.filename
        if not name.endswith((".xml", ".rels")) or name.startswith(STREAMED):
            continue
        limit = MAX_WORD_BODY if name == "word/document.xml" else MAX_PART
        if info.file_size > limit:
            raise refuse(
                f"文件中的“{name}”部分解压后约 {info.file_size // 2**20}MB，不像正常的测评体系文件；"
                "请把测评体系复制到新文件中，另存后再导入"
            )


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """One member's bytes; zipfile stops at the declared size and checks the CRC, so a
    member that hides more than it declares fails here instead of filling memory."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise refuse(f"文件中的“{name}”部分过大（约 {info.file_size // 2**20}MB）")
    try:
        return archive.read(name)
    except ZIP_ERRORS as exc:
        raise refuse(DAMAGED) from exc
