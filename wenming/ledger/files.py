"""Inspect an uploaded evidence file before anything keeps it.

Offices upload photos, scans and Office documents as 台账 evidence. A file is trusted by its
content, never by its name: the type comes from magic bytes, a name whose extension says
another kind of file is refused, and files a browser or Office would run or unpack (web
pages, SVG, programs, archives, macro documents) are refused outright. Parsers only read
what they need: ZIP central directories are checked for bombs without decompressing, PDFs
are opened for their structure and page count without decoding page contents, and images
are checked for their pixel count before Pillow decodes them.

Every refusal is an `UploadRefused` whose message is a Chinese sentence naming the file and
saying what to do, so views can show it as it is. Nothing here knows about models.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import threading
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import imagehash
from django.conf import settings
from django.db import models
from PIL import Image, ImageFile, ImageOps
from pillow_heif import register_heif_opener
from pypdf import PasswordType, PdfReader
from pypdf.generic import DictionaryObject

from wenming.core.uploads import display_name

register_heif_opener()

CHUNK_SIZE = 1024 * 1024
HEAD_SIZE = 4096

# OOXML bomb thresholds, read from the ZIP central directory (nothing is decompressed).
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_TOTAL_RATIO = 20
ZIP_TOTAL_FLOOR_BYTES = 100 * 1024 * 1024
ZIP_MEMBER_MAX_RATIO = 100
ZIP_MEMBER_FLOOR_BYTES = 50 * 1024 * 1024

PDF_MAX_PAGES = 2000
# A complete PDF ends with %%EOF; an upload cut off midway does not.
PDF_EOF_WINDOW = 2048

# Perceptual hashes are computed on an image reduced to about this size.
PHASH_WORKING_SIZE = 512


class UploadRefused(ValueError):
    """message: a Chinese sentence naming the file and saying why and what to do.

    A ValueError, so code that treats bad input as ValueError (the thumbnail task) also
    catches a photo that turns out to be damaged.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FileKind(models.TextChoices):
    PHOTO = "photo", "照片"
    PDF = "pdf", "PDF文档"
    DOCUMENT = "document", "文字文档"
    SPREADSHEET = "spreadsheet", "表格"
    PRESENTATION = "presentation", "演示文稿"
    VIDEO = "video", "视频"
    AUDIO = "audio", "音频"


@dataclass(frozen=True)
class FileFacts:
    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    taken_at: datetime | None = None
    phash: str | None = None
    page_count: int | None = None


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...
    def seek(self, offset: int, whence: int = ..., /) -> int: ...


# Canonical extension -> (kind, MIME type).
_TYPES: dict[str, tuple[str, str]] = {
    "jpg": (FileKind.PHOTO, "image/jpeg"),
    "png": (FileKind.PHOTO, "image/png"),
    "heic": (FileKind.PHOTO, "image/heic"),
    "heif": (FileKind.PHOTO, "image/heif"),
    "avif": (FileKind.PHOTO, "image/avif"),
    "webp": (FileKind.PHOTO, "image/webp"),
    "pdf": (FileKind.PDF, "application/pdf"),
    "docx": (
        FileKind.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        FileKind.SPREADSHEET,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx": (
        FileKind.PRESENTATION,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "doc": (FileKind.DOCUMENT, "application/msword"),
    "xls": (FileKind.SPREADSHEET, "application/vnd.ms-excel"),
    "ppt": (FileKind.PRESENTATION, "application/vnd.ms-powerpoint"),
    "wps": (FileKind.DOCUMENT, "application/kswps"),
    "et": (FileKind.SPREADSHEET, "application/kset"),
    "dps": (FileKind.PRESENTATION, "application/ksdps"),
    "mp4": (FileKind.VIDEO, "video/mp4"),
    "mov": (FileKind.VIDEO, "video/quicktime"),
    "m4a": (FileKind.AUDIO, "audio/mp4"),
    "mp3": (FileKind.AUDIO, "audio/mpeg"),
}

# Extensions users' files carry -> canonical extension.
_NAME_EXTENSIONS: dict[str, str] = {ext: ext for ext in _TYPES} | {
    "jpeg": "jpg",
    "jpe": "jpg",
    "jfif": "jpg",
    "hif": "heif",
    "m4v": "mp4",
}

_OLE_EXTENSIONS = {"doc", "xls", "ppt", "wps", "et", "dps"}
_OOXML_EXTENSIONS = {"docx", "xlsx", "pptx"}
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_HEIF_GENERIC_BRANDS = {b"mif1", b"msf1"}
_AUDIO_BRANDS = {b"M4A ", b"M4B "}
_VIDEO_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"3gp4",
    b"3gp5",
    b"3gp6",
    b"3g2a",
    b"mmp4",
    b"MSNV",
    b"XAVC",
    b"dash",
    b"f4v ",
}

_SUPPORTED = "照片（JPG、PNG、HEIC）、PDF、Word/Excel/PowerPoint、WPS文档、MP4视频、MP3音频"

# Refused content families, detected before the accepted ones.
_HTML = "html"
_SVG = "svg"
_EXECUTABLE = "executable"
_ARCHIVE = "archive"
_UNKNOWN = "unknown"
_ZIP = "zip"
_OLE = "ole"


# --- names -------------------------------------------------------------------------------


def _name_extension(shown: str) -> str:
    stem, dot, ext = shown.rpartition(".")
    if not dot or not stem.strip() or not ext.isascii() or not ext.isalnum():
        return ""
    return ext.lower()


# --- reading -----------------------------------------------------------------------------


def _file_size(f: Any) -> int:
    size = getattr(f, "size", None)
    if isinstance(size, int):
        return size
    f.seek(0, io.SEEK_END)
    end = int(f.tell())
    f.seek(0)
    return end


def _read_at(f: _Readable, offset: int, length: int) -> bytes:
    f.seek(offset)
    return f.read(length)


def _chunks(f: Any) -> Iterator[bytes]:
    if hasattr(f, "chunks"):
        yield from f.chunks(CHUNK_SIZE)
        return
    f.seek(0)
    while True:
        chunk = f.read(CHUNK_SIZE)
        if not chunk:
            return
        yield chunk


def _megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    if value >= 10 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.1f}"


# --- content sniffing --------------------------------------------------------------------


def _sniff(head: bytes) -> str:
    """The canonical extension of the content, or one of the refused families."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return _sniff_iso_bmff(head)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _OLE
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _ZIP
    if (
        head.startswith(
            (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
        )
        or head[257:262] == b"ustar"
    ):
        return _ARCHIVE
    if head.startswith(
        (
            b"MZ",
            b"\x7fELF",
            b"#!",
            b"\xfe\xed\xfa\xce",
            b"\xfe\xed\xfa\xcf",
            b"\xce\xfa\xed\xfe",
            b"\xcf\xfa\xed\xfe",
            b"\xca\xfe\xba\xbe",
        )
    ):
        return _EXECUTABLE
    if head.startswith(b"ID3") or _is_mpeg_audio_frame(head):
        return "mp3"
    markup = _markup_family(head)
    if markup:
        return markup
    # Readers accept a PDF header anywhere in the first kilobyte (after a mail or scanner
    # preamble); looked for only after every format that could hide one in its own header.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return _UNKNOWN


def _sniff_iso_bmff(head: bytes) -> str:
    box_size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    end = min(box_size if box_size >= 16 else 16, len(head))
    compatible = {head[i : i + 4] for i in range(16, end - 3, 4)}
    brands = {major} | compatible
    if major == b"avif" or (major in _HEIF_GENERIC_BRANDS and b"avif" in compatible):
        return "avif"
    if major in _HEIF_BRANDS:
        return "heic"
    if major in _HEIF_GENERIC_BRANDS:
        return "heic" if compatible & _HEIF_BRANDS else "heif"
    if major in _AUDIO_BRANDS:
        return "m4a"
    if major == b"qt  ":
        return "mov"
    if brands & _VIDEO_BRANDS:
        return "mp4"
    if brands & _HEIF_BRANDS:
        return "heic"
    return _UNKNOWN


def _is_mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG-1/2 Layer III frame header (the first frame of an MP3 without ID3 tag)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0x3
    layer = (head[1] >> 1) & 0x3
    bitrate = head[2] >> 4
    sampling = (head[2] >> 2) & 0x3
    return version != 1 and layer == 1 and bitrate not in (0, 15) and sampling != 3


def _markup_family(head: bytes) -> str | None:
    text = head
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(bom):
            text = text[len(bom) :]
            break
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        lowered = text.decode(codec, errors="ignore").lower().lstrip()
    else:
        lowered = text.decode("latin-1").lower().lstrip()
    if lowered.startswith(("<!doctype html", "<html", "<script", "<head", "<body", "<iframe")):
        return _HTML
    if lowered.startswith("<svg") or (
        lowered.startswith(("<?xml", "<!doctype svg", "<!--")) and "<svg" in lowered
    ):
        return _SVG
    if lowered.startswith("<?xml") and "<html" in lowered:
        return _HTML
    return None


# --- refusals ----------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return str(FileKind(kind).label)


def _refuse_family(shown: str, family: str) -> UploadRefused:
    if family == _HTML:
        return UploadRefused(
            f"文件‘{shown}’是网页文件（HTML），出于安全原因不能上传。"
            "请将网页另存为PDF或截图后再上传。"
        )
    if family == _SVG:
        return UploadRefused(
            f"文件‘{shown}’是SVG矢量图，出于安全原因不能上传。请导出为PNG或JPG图片后再上传。"
        )
    if family == _EXECUTABLE:
        return UploadRefused(
            f"文件‘{shown}’是可执行程序或脚本，出于安全原因不能上传。请上传{_SUPPORTED}。"
        )
    if family == _ARCHIVE:
        return UploadRefused(
            f"文件‘{shown}’是压缩包，不能直接上传。压缩包请解压后分别上传其中的照片和文件。"
        )
    return UploadRefused(
        f"无法识别文件‘{shown}’的类型，不能上传。支持的类型有：{_SUPPORTED}。"
        "请转换为这些格式后重新上传。"
    )


def _mismatch(shown: str, name_ext: str, content_label: str) -> UploadRefused:
    return UploadRefused(
        f"文件‘{shown}’的内容是{content_label}，与扩展名.{name_ext}不符。请确认文件后重新上传。"
    )


def _check_name_matches(shown: str, name_ext: str, content_ext: str) -> None:
    """Refuse a file whose known extension names another kind than its content."""
    expected = _NAME_EXTENSIONS.get(name_ext)
    if expected is None:
        return
    content_kind = _TYPES[content_ext][0]
    if _TYPES[expected][0] != content_kind:
        raise _mismatch(shown, name_ext, _kind_label(content_kind))


# --- inspection --------------------------------------------------------------------------


def inspect_upload(f: Any, name: str) -> FileFacts:
    """Decide what an uploaded file is from its content, or raise `UploadRefused`."""
    shown = display_name(name)
    name_ext = _name_extension(shown)
    try:
        size = _file_size(f)
        if size <= 0:
            raise UploadRefused(f"文件‘{shown}’是空文件（0字节），请检查后重新上传。")
        limit = int(settings.WENMING_UPLOAD_MAX_BYTES)
        if size > limit:
            raise UploadRefused(
                f"文件‘{shown}’大小为{_megabytes(size)}MB，超过了单个文件{_megabytes(limit)}MB"
                "的上限。请压缩（视频可降低清晰度）或拆分后重新上传。"
            )
        head = _read_at(f, 0, HEAD_SIZE)
        content = _sniff(head)
        if content == _OLE:
            content = _ole_extension(shown, name_ext)
        elif content == _ZIP:
            content = _ooxml_extension(f, shown, size)
        if content not in _TYPES:
            raise _refuse_family(shown, content)
        _check_name_matches(shown, name_ext, content)
        kind, content_type = _TYPES[content]
        extra: dict[str, Any] = {}
        if kind == FileKind.PHOTO:
            extra = _photo_facts(f, shown, content)
        elif kind == FileKind.PDF:
            extra = {"page_count": _pdf_page_count(f, shown, size)}
        digest = hashlib.sha256()
        counted = 0
        for chunk in _chunks(f):
            digest.update(chunk)
            counted += len(chunk)
        if counted > limit:
            raise UploadRefused(
                f"文件‘{shown}’超过了单个文件{_megabytes(limit)}MB的上限。请压缩或拆分后重新上传。"
            )
        return FileFacts(
            kind=str(kind),
            content_type=content_type,
            extension=content,
            size=counted,
            sha256=digest.hexdigest(),
            **extra,
        )
    finally:
        f.seek(0)


def _ole_extension(shown: str, name_ext: str) -> str:
    """Legacy Office and WPS files share one container; their extension tells them apart."""
    if name_ext in _OLE_EXTENSIONS:
        return name_ext
    if name_ext in _OOXML_EXTENSIONS:
        raise UploadRefused(
            f"文件‘{shown}’看起来设有打开密码（已加密），系统无法读取。"
            "请在Office或WPS中取消密码后另存，再重新上传。"
        )
    if name_ext in _NAME_EXTENSIONS:
        raise _mismatch(shown, name_ext, "Office或WPS旧版文档")
    raise UploadRefused(
        f"文件‘{shown}’是旧版Office或WPS文档，但从文件名看不出是文字、表格还是演示文稿。"
        "请保留原扩展名（.doc、.xls、.ppt、.wps、.et、.dps）后重新上传，"
        "或另存为.docx、.xlsx、.pptx格式。"
    )


def _ooxml_extension(f: Any, shown: str, size: int) -> str:
    """docx/xlsx/pptx from a ZIP's member names, after checking the ZIP is not a bomb."""
    damaged = UploadRefused(
        f"文件‘{shown}’已损坏或不完整，可能上传中断。请用Office或WPS打开确认后重新上传。"
    )
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise damaged from None
    bomb = UploadRefused(
        f"文件‘{shown}’可能已损坏或被恶意构造（解压后体积异常），不能上传。"
        "请用Office或WPS打开后重新保存，再上传。"
    )
    if len(infos) > ZIP_MAX_ENTRIES:
        raise bomb
    total = sum(info.file_size for info in infos)
    if total > ZIP_TOTAL_FLOOR_BYTES and total > ZIP_MAX_TOTAL_RATIO * size:
        raise bomb
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_MEMBER_FLOOR_BYTES and ratio > ZIP_MEMBER_MAX_RATIO:
            raise bomb
    names = [info.filename for info in infos]
    if "[Content_Types].xml" not in names:
        raise _refuse_family(shown, _ARCHIVE)
    found = {
        ext for prefix, ext in _OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)
    }
    if len(found) != 1:
        raise _refuse_family(shown, _ARCHIVE if not found else _UNKNOWN)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRefused(
            f"文件‘{shown}’含有宏代码，出于安全原因不能上传。"
            "请在Office或WPS中另存为不含宏的.docx、.xlsx或.pptx格式后再上传。"
        )
    return found.pop()


# --- images ------------------------------------------------------------------------------

# Image.MAX_IMAGE_PIXELS and the warnings filters are process-wide; they are changed only
# while Image.open runs (where Pillow checks the pixel count) and under this lock.
_PIXEL_LIMIT_LOCK = threading.Lock()


def _bomb(
    shown: str, limit: int, size: tuple[int, int] | None = None, error: Exception | None = None
) -> UploadRefused:
    if size is not None:
        found = f"{size[0]}×{size[1]}，"
    else:
        # Pillow says "Image size (N pixels) exceeds limit ..."; the count helps the user.
        match = re.search(r"\((\d+) pixels\)", str(error or ""))
        found = f"约{int(match.group(1)) // 10_000}万像素，" if match else ""
    return UploadRefused(
        f"照片‘{shown}’的图片尺寸异常（{found}超过{limit // 10_000}万像素），"
        "可能是恶意构造的文件，不能上传。请上传正常拍摄的照片，或缩小尺寸后再上传。"
    )


@contextlib.contextmanager
def _strict_decoding() -> Iterator[None]:
    """Decode pixels with truncated data refused, whatever another module set.

    WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES = True for the whole process when it is
    imported; a cut-off upload must still be refused here.
    """
    with _PIXEL_LIMIT_LOCK:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _corrupt_photo(shown: str) -> UploadRefused:
    return UploadRefused(f"照片文件‘{shown}’不完整或已损坏，可能上传中断，请重新上传。")


def _open_image(f: Any, shown: str, content_ext: str) -> Image.Image:
    """Image.open under settings.WENMING_IMAGE_MAX_PIXELS, refusing bombs and junk."""
    limit = int(settings.WENMING_IMAGE_MAX_PIXELS)
    f.seek(0)
    with _PIXEL_LIMIT_LOCK:
        saved = Image.MAX_IMAGE_PIXELS
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                Image.MAX_IMAGE_PIXELS = limit
                im = Image.open(f)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _bomb(shown, limit, error=error) from None
        except Exception:  # any parser error in untrusted input means we cannot read it
            if content_ext in ("heic", "heif", "avif"):
                raise UploadRefused(
                    f"照片‘{shown}’是HEIC/HEIF格式，但系统无法读取。请在手机上将照片导出为JPG"
                    "格式（iPhone可在“设置→相机→格式”中选择“兼容性最佳”）后重新上传。"
                ) from None
            raise _corrupt_photo(shown) from None
        finally:
            Image.MAX_IMAGE_PIXELS = saved
    width, height = im.size
    if width <= 0 or height <= 0:
        raise _corrupt_photo(shown)
    if width * height > limit:
        raise _bomb(shown, limit, (width, height))
    return im


_EXIF_DATE = re.compile(r"^(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def _exif_text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="ignore")
    return str(value).strip("\x00 ")


def _parse_exif_datetime(value: Any, offset: Any = None) -> datetime | None:
    match = _EXIF_DATE.match(_exif_text(value))
    if not match:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        naive = datetime(year, month, day, hour, minute, second)  # noqa: DTZ001
    except ValueError:
        return None
    if not 1990 <= naive.year <= 2100:
        return None
    local = ZoneInfo(settings.TIME_ZONE)
    offset_match = _EXIF_OFFSET.match(_exif_text(offset)) if offset is not None else None
    if offset_match:
        sign = -1 if offset_match.group(1) == "-" else 1
        delta = timedelta(hours=int(offset_match.group(2)), minutes=int(offset_match.group(3)))
        if delta <= timedelta(hours=14):
            return naive.replace(tzinfo=timezone(sign * delta)).astimezone(local)
    return naive.replace(tzinfo=local)


def _taken_at(exif: Image.Exif) -> datetime | None:
    try:
        details = exif.get_ifd(0x8769)
    except Exception:  # a damaged Exif IFD only loses the date
        details = {}
    original = _parse_exif_datetime(details.get(36867), details.get(36881))
    if original is not None:
        return original
    return _parse_exif_datetime(exif.get(306), details.get(36880))


def _photo_facts(f: Any, shown: str, content_ext: str) -> dict[str, Any]:
    im = _open_image(f, shown, content_ext)
    try:
        im.verify()
    except Exception:  # verify() raises assorted errors on damaged data
        raise _corrupt_photo(shown) from None
    im = _open_image(f, shown, content_ext)
    width, height = im.size
    try:
        exif = im.getexif()
    except Exception:  # damaged Exif: keep the photo, lose orientation and date
        exif = Image.Exif()
    orientation = exif.get(0x0112)
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    taken_at = _taken_at(exif)
    try:
        if im.format == "JPEG":
            im.draft("RGB", (PHASH_WORKING_SIZE, PHASH_WORKING_SIZE))
        with _strict_decoding():
            im.load()
        small = ImageOps.exif_transpose(im)
        small.thumbnail((PHASH_WORKING_SIZE, PHASH_WORKING_SIZE))
        phash = str(imagehash.phash(_flatten(small).convert("L")))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(shown, int(settings.WENMING_IMAGE_MAX_PIXELS)) from None
    except Exception:  # truncated or damaged pixel data
        raise _corrupt_photo(shown) from None
    return {
        "width": width,
        "height": height,
        "taken_at": taken_at,
        "phash": phash,
    }


def _flatten(im: Image.Image) -> Image.Image:
    """RGB on white, whatever the mode (transparency, palette, 16-bit)."""
    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        im = im.point(lambda value: value / 256).convert("L")
    return im.convert("RGB")


def hamming(a: str, b: str) -> int:
    """Bit distance between two 16-hex-digit perceptual hashes."""
    if len(a) != 16 or len(b) != 16:
        raise ValueError("phash values are 16 hexadecimal digits")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def make_thumbnail(f: Any, kind: str, *, size: int = 480, name: str = "") -> bytes | None:
    """JPEG bytes of a photo fitted in size×size, upright and RGB; None for other kinds.

    PDFs get None too: there is no PDF renderer on the server. JPEGs are decoded at a reduced
    scale (Image.draft), so a 12-megapixel photo takes a few milliseconds. `name` only names
    the file in a refusal.
    """
    if kind != FileKind.PHOTO:
        return None
    shown = display_name(name) if name else "照片"
    try:
        im = _open_image(f, shown, "")
        try:
            if im.format == "JPEG":
                im.draft("RGB", (size, size))
            im.load()
            im = ImageOps.exif_transpose(im)
            im.thumbnail((size, size))
            out = io.BytesIO()
            _flatten(im).save(out, "JPEG", quality=80, optimize=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb(shown, int(settings.WENMING_IMAGE_MAX_PIXELS)) from None
        except Exception:  # truncated or damaged pixel data
            raise _corrupt_photo(shown) from None
        return out.getvalue()
    finally:
        f.seek(0)


# --- PDF ---------------------------------------------------------------------------------


def _pdf_page_count(f: Any, shown: str, size: int) -> int:
    """Open the PDF's structure (not its page contents) and count pages."""
    damaged = UploadRefused(
        f"PDF文件‘{shown}’不完整或已损坏，可能上传中断。请用PDF阅读器打开确认后重新上传。"
    )
    tail = _read_at(f, max(0, size - PDF_EOF_WINDOW), PDF_EOF_WINDOW)
    if b"%%EOF" not in tail:
        raise damaged
    locked = UploadRefused(
        f"PDF文件‘{shown}’设有密码或加密保护，系统无法打开。请取消密码后另存为PDF，再重新上传。"
    )
    f.seek(0)
    try:
        reader = PdfReader(f, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # missing AES support or a malformed /Encrypt dictionary
                raise locked from None
            if opened == PasswordType.NOT_DECRYPTED:
                raise locked
        # The declared count first: flattening a page tree crafted to be huge costs time.
        pages = reader.root_object.get("/Pages")
        pages = pages.get_object() if pages is not None else None
        declared = pages.get("/Count") if isinstance(pages, DictionaryObject) else None
        if isinstance(declared, int) and declared > PDF_MAX_PAGES:
            raise _too_many_pages(shown, int(declared))
        count = len(reader.pages)
    except UploadRefused:
        raise
    except Exception:  # pypdf raises many kinds of errors on damaged files
        raise damaged from None
    if count <= 0:
        raise damaged
    if count > PDF_MAX_PAGES:
        raise _too_many_pages(shown, count)
    return count


def _too_many_pages(shown: str, count: int) -> UploadRefused:
    return UploadRefused(
        f"PDF文件‘{shown}’共有{count}页，超过了{PDF_MAX_PAGES}页的上限。请拆分为多个文件后上传。"
    )


__all__ = [
    "FileFacts",
    "FileKind",
    "UploadRefused",
    "display_name",
    "hamming",
    "inspect_upload",
    "make_thumbnail",
]
