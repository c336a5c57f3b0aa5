"""Uploaded evidence is judged by its content, refused in clear Chinese, and size-limited
while it arrives."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from PIL import Image
from pytest_django.fixtures import Settings

from tests.ledger import samples
from wenming.core.uploads import limited_uploads, upload_refusal
from wenming.ledger import files
from wenming.ledger.files import (
    FileKind,
    UploadRefused,
    display_name,
    hamming,
    inspect_upload,
    make_thumbnail,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(io.BytesIO(data), name)
    message = caught.value.message
    assert display_name(name) in message
    return message


# --- display names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\张三\\Desktop\\活动照片.JPG", "活动照片.JPG"),
        ("志愿\x00服务\r\n活动.jpg", "志愿服务 活动.jpg"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("  学雷锋   活动\t照片 .png ", "学雷锋 活动 照片 .png"),
        ("", "未命名文件"),
        ("../", "未命名文件"),
        ("\x07\u200b", "未命名文件"),
    ],
)
def test_display_name_is_safe_to_show(raw: str, shown: str) -> None:
    assert display_name(raw) == shown


def test_display_name_keeps_the_extension_when_shortened() -> None:
    shown = display_name("文" * 300 + ".docx")
    assert len(shown) == 120
    assert shown.endswith("文.docx")


# --- accepted types ----------------------------------------------------------------------


def test_jpeg_facts_with_exif_date_and_hash() -> None:
    exif = samples.exif_with_date(original="2026:05:01 10:00:00", plain="2026:06:01 08:00:00")
    data = samples.jpeg(exif=exif)
    upload = SimpleUploadedFile("活动照片.jpeg", data, content_type="application/octet-stream")
    facts = inspect_upload(upload, upload.name or "")
    assert facts.kind == FileKind.PHOTO
    assert facts.content_type == "image/jpeg"
    assert facts.extension == "jpg"
    assert facts.size == len(data)
    assert (facts.width, facts.height) == (640, 480)
    assert facts.taken_at == datetime(2026, 5, 1, 10, 0, tzinfo=SHANGHAI)
    assert facts.phash is not None and len(facts.phash) == 16
    assert facts.page_count is None
    assert upload.tell() == 0
    assert facts.sha256 == hashlib.sha256(data).hexdigest()


def test_exif_date_falls_back_and_honours_offset() -> None:
    plain = inspect_upload(
        io.BytesIO(samples.jpeg(exif=samples.exif_with_date(plain="2026:04:30 09:15:00"))), "a.jpg"
    )
    assert plain.taken_at == datetime(2026, 4, 30, 9, 15, tzinfo=SHANGHAI)
    offset = inspect_upload(
        io.BytesIO(
            samples.jpeg(
                exif=samples.exif_with_date(original="2026:05:01 10:00:00", offset="+00:00")
            )
        ),
        "b.jpg",
    )
    assert offset.taken_at == datetime(2026, 5, 1, 18, 0, tzinfo=SHANGHAI)
    assert offset.taken_at is not None and offset.taken_at.utcoffset() is not None


@pytest.mark.parametrize("garbage", ["0000:00:00 00:00:00", "    :  :     :  :  ", "yesterday"])
def test_garbage_exif_dates_are_ignored(garbage: str) -> None:
    data = samples.jpeg(exif=samples.exif_with_date(original=garbage))
    assert inspect_upload(io.BytesIO(data), "x.jpg").taken_at is None


def test_rotated_photo_reports_upright_size() -> None:
    data = samples.jpeg(exif=samples.exif_with_date(orientation=6))
    facts = inspect_upload(io.BytesIO(data), "竖拍.jpg")
    assert (facts.width, facts.height) == (480, 640)


def test_phash_is_stable_and_tolerates_recompression() -> None:
    original = inspect_upload(io.BytesIO(samples.jpeg(seed=7)), "a.jpg")
    again = inspect_upload(io.BytesIO(samples.jpeg(seed=7)), "b.jpg")
    assert original.phash == again.phash

    smaller = io.BytesIO()
    Image.open(io.BytesIO(samples.jpeg(seed=7))).resize((400, 300)).save(
        smaller, "JPEG", quality=55
    )
    resized = inspect_upload(io.BytesIO(smaller.getvalue()), "c.jpg")
    other = inspect_upload(io.BytesIO(samples.jpeg(seed=99)), "d.jpg")
    assert original.phash and resized.phash and other.phash
    assert hamming(original.phash, resized.phash) <= 6
    assert hamming(original.phash, other.phash) >= 16


def test_hamming() -> None:
    assert hamming("0000000000000000", "000000000000000f") == 4
    assert hamming("ffffffffffffffff", "0000000000000000") == 64
    with pytest.raises(ValueError):
        hamming("abc", "0000000000000000")


def test_png_webp_and_heic_are_photos() -> None:
    png = inspect_upload(io.BytesIO(samples.png()), "截图.png")
    assert (png.kind, png.extension, png.content_type) == ("photo", "png", "image/png")
    assert (png.width, png.height) == (320, 240)
    webp = inspect_upload(io.BytesIO(samples.webp()), "图.webp")
    assert (webp.kind, webp.extension) == ("photo", "webp")
    heic = inspect_upload(
        io.BytesIO(samples.heic(exif=samples.exif_with_date(original="2026:05:02 16:30:00"))),
        "IMG_0001.HEIC",
    )
    assert (heic.kind, heic.extension, heic.content_type) == ("photo", "heic", "image/heic")
    assert heic.taken_at == datetime(2026, 5, 2, 16, 30, tzinfo=SHANGHAI)
    assert heic.phash is not None


def test_photo_of_another_photo_format_is_accepted_by_content() -> None:
    facts = inspect_upload(io.BytesIO(samples.png()), "微信图片.jpg")
    assert facts.extension == "png"


def test_pdf_after_a_preamble_is_a_pdf_but_html_hiding_one_is_not() -> None:
    data = samples.pdf()
    facts = inspect_upload(io.BytesIO(b"scanner preamble\r\n" + data), "扫描件.pdf")
    assert facts.kind == "pdf"
    assert "网页文件" in refusal(b"<html>" + data, "伪装.pdf")


def test_pdf_facts() -> None:
    facts = inspect_upload(io.BytesIO(samples.pdf(pages=3)), "实施方案.pdf")
    assert (facts.kind, facts.extension, facts.content_type) == ("pdf", "pdf", "application/pdf")
    assert facts.page_count == 3


@pytest.mark.parametrize(
    ("make", "name", "kind", "extension"),
    [
        (samples.docx, "通报.docx", "document", "docx"),
        (samples.xlsx, "台账.xlsx", "spreadsheet", "xlsx"),
        (samples.pptx, "汇报.pptx", "presentation", "pptx"),
        (samples.docx, "通报", "document", "docx"),
        (samples.docx, "通报.doc", "document", "docx"),
        (samples.ole, "老文件.doc", "document", "doc"),
        (samples.ole, "老表格.XLS", "spreadsheet", "xls"),
        (samples.ole, "老演示.ppt", "presentation", "ppt"),
        (samples.ole, "金山文字.wps", "document", "wps"),
        (samples.ole, "金山表格.et", "spreadsheet", "et"),
        (samples.ole, "金山演示.dps", "presentation", "dps"),
        (samples.mp4, "活动视频.mp4", "video", "mp4"),
        (lambda: samples.mp4(b"qt  "), "活动视频.mov", "video", "mov"),
        (lambda: samples.mp4(b"qt  "), "活动视频.mp4", "video", "mov"),
        (lambda: samples.mp4(b"M4A "), "录音.m4a", "audio", "m4a"),
        (samples.mp3, "讲话.mp3", "audio", "mp3"),
        (lambda: samples.mp3(with_id3=False), "讲话.mp3", "audio", "mp3"),
    ],
)
def test_documents_and_media_by_content(
    make: Callable[[], bytes], name: str, kind: str, extension: str
) -> None:
    facts = inspect_upload(io.BytesIO(make()), name)
    assert (facts.kind, facts.extension) == (kind, extension)
    assert facts.width is None and facts.phash is None


def test_temporary_uploaded_file_is_hashed_in_chunks_and_rewound() -> None:
    data = samples.jpeg(seed=3)
    upload = TemporaryUploadedFile("x.jpg", "image/jpeg", len(data), None)
    upload.write(data)
    upload.seek(0)
    try:
        facts = inspect_upload(upload, "x.jpg")
        assert facts.size == len(data)
        assert upload.tell() == 0
        assert upload.read() == data
    finally:
        upload.close()


# --- refusals ----------------------------------------------------------------------------


def test_empty_file() -> None:
    message = refusal(b"", "空白.jpg")
    assert message == "文件‘空白.jpg’是空文件（0字节），请检查后重新上传。"


def test_oversized_file(settings: Settings) -> None:
    settings.WENMING_UPLOAD_MAX_BYTES = 1024 * 1024
    message = refusal(b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024), "大照片.jpg")
    assert "1MB" in message and "上限" in message


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (samples.pdf(), "照片.jpg", "的内容是PDF文档，与扩展名.jpg不符"),
        (samples.png(), "方案.docx", "的内容是照片，与扩展名.docx不符"),
        (samples.docx(), "台账.xlsx", "的内容是文字文档，与扩展名.xlsx不符"),
        (samples.mp4(), "录音.mp3", "的内容是视频，与扩展名.mp3不符"),
        (samples.ole(), "照片.jpg", "与扩展名.jpg不符"),
    ],
)
def test_content_and_name_mismatch(data: bytes, name: str, words: str) -> None:
    message = refusal(data, name)
    assert words in message and "请确认文件后重新上传" in message


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (samples.HTML, "通知.html", "网页文件"),
        (samples.HTML, "照片.jpg", "网页文件"),
        (samples.SVG, "标志.svg", "SVG"),
        (samples.ELF, "工具", "可执行程序"),
        (samples.MZ, "安装.exe", "可执行程序"),
        (samples.SCRIPT, "run.sh", "可执行程序"),
        (samples.zip_with_text(), "照片.zip", "压缩包请解压后分别上传其中的照片和文件"),
        (samples.gzip_bytes(), "资料.gz", "压缩包请解压后分别上传"),
        (samples.RAR, "资料.rar", "压缩包"),
        (samples.SEVEN_ZIP, "资料.7z", "压缩包"),
        (samples.TIFF, "扫描.tif", "无法识别文件"),
        (samples.TEXT, "说明.txt", "支持的类型有：照片（JPG、PNG、HEIC）、PDF"),
    ],
)
def test_refused_types(data: bytes, name: str, words: str) -> None:
    assert words in refusal(data, name)


def test_unreadable_heic_asks_for_jpeg() -> None:
    broken = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"junk" * 100
    message = refusal(broken, "IMG_0002.HEIC")
    assert "HEIC" in message and "导出为JPG" in message


def test_unknown_extension_is_judged_by_content() -> None:
    assert inspect_upload(io.BytesIO(samples.jpeg()), "照片.tmp").extension == "jpg"


def test_ole_needs_a_telling_extension() -> None:
    assert "扩展名" in refusal(samples.ole(), "老文件")
    assert "密码" in refusal(samples.ole(), "加密方案.docx")


def test_macro_document() -> None:
    assert "宏" in refusal(samples.macro_docx(), "带宏.docx")


def test_ooxml_zip_bomb_by_default_thresholds() -> None:
    bomb = samples.zip_bomb_docx()
    assert len(bomb) < 1024 * 1024
    assert "恶意构造" in refusal(bomb, "方案.docx")


def test_ooxml_with_too_many_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "ZIP_MAX_ENTRIES", 10)
    assert "恶意构造" in refusal(samples.many_entries_docx(20), "方案.docx")


def test_damaged_zip() -> None:
    data = samples.docx()
    assert "已损坏或不完整" in refusal(data[: len(data) // 2], "方案.docx")


def test_image_decompression_bomb() -> None:
    before = Image.MAX_IMAGE_PIXELS
    message = refusal(samples.png_bomb(), "炸弹.png")
    assert "图片尺寸异常（约90000万像素，超过20000万像素）" in message
    assert before == Image.MAX_IMAGE_PIXELS


def test_image_over_configured_pixel_limit(settings: Settings) -> None:
    settings.WENMING_IMAGE_MAX_PIXELS = 100_000
    message = refusal(samples.jpeg(), "大图.jpg")
    assert "约30万像素" in message and "超过10万像素" in message


def test_truncated_jpeg() -> None:
    data = samples.jpeg()
    message = refusal(data[: len(data) // 2], "中断.jpg")
    assert message == "照片文件‘中断.jpg’不完整或已损坏，可能上传中断，请重新上传。"


def test_truncated_png() -> None:
    data = samples.png()
    assert "不完整或已损坏" in refusal(data[: len(data) // 2], "中断.png")


def test_truncated_pdf() -> None:
    data = samples.pdf(pages=5)
    assert "不完整或已损坏" in refusal(data[: len(data) // 2], "方案.pdf")


def test_pdf_with_password() -> None:
    assert "密码" in refusal(samples.pdf(password="123456"), "加密.pdf")


def test_pdf_owner_password_only_is_accepted() -> None:
    facts = inspect_upload(io.BytesIO(samples.pdf(pages=2, password="")), "限制编辑.pdf")
    assert facts.page_count == 2


def test_pdf_with_too_many_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "PDF_MAX_PAGES", 3)
    message = refusal(samples.pdf(pages=4), "汇编.pdf")
    assert "共有4页" in message and "拆分" in message


# --- thumbnails --------------------------------------------------------------------------


def test_thumbnail_is_an_upright_jpeg() -> None:
    data = samples.jpeg(size=(1600, 1200), exif=samples.exif_with_date(orientation=6))
    f = io.BytesIO(data)
    thumb = make_thumbnail(f, FileKind.PHOTO)
    assert thumb is not None and f.tell() == 0
    im = Image.open(io.BytesIO(thumb))
    assert im.format == "JPEG" and im.mode == "RGB"
    assert im.size == (360, 480)


def test_thumbnail_of_transparent_png_and_heic() -> None:
    rgba = Image.new("RGBA", (100, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    rgba.save(out, "PNG")
    thumb = make_thumbnail(io.BytesIO(out.getvalue()), FileKind.PHOTO, size=40)
    assert thumb is not None
    im = Image.open(io.BytesIO(thumb))
    assert im.size == (40, 20)
    assert im.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=3)
    assert make_thumbnail(io.BytesIO(samples.heic()), FileKind.PHOTO) is not None


def test_no_thumbnail_for_pdf_and_documents() -> None:
    assert make_thumbnail(io.BytesIO(samples.pdf()), FileKind.PDF) is None
    assert make_thumbnail(io.BytesIO(samples.docx()), FileKind.DOCUMENT) is None


# --- the upload handler ------------------------------------------------------------------


@limited_uploads
def upload_view(request: HttpRequest) -> HttpResponse:
    received = ",".join(sorted(f.name or "" for f in request.FILES.getlist("files")))
    message = upload_refusal(request)
    if message:
        return HttpResponse(f"{message}|{received}", status=400)
    return HttpResponse(received)


urlpatterns = [path("upload/", upload_view)]


def _post(client: Client, *uploads: tuple[str, bytes]) -> HttpResponse:
    payload = [SimpleUploadedFile(name, data) for name, data in uploads]
    return client.post("/upload/", {"note": "说明", "files": payload})  # type: ignore[return-value]


@pytest.mark.urls(__name__)
def test_upload_within_limits_reaches_the_view(settings: Settings) -> None:
    settings.WENMING_UPLOAD_MAX_BYTES = 10_000
    response = _post(Client(), ("a.jpg", b"x" * 100), ("b.pdf", b"y" * 9_000))
    assert response.status_code == 200
    assert response.content.decode() == "a.jpg,b.pdf"


@pytest.mark.urls(__name__)
def test_one_file_too_large_is_stopped_while_arriving(settings: Settings) -> None:
    settings.WENMING_UPLOAD_MAX_BYTES = 200 * 1024
    response = _post(Client(), ("小.jpg", b"x" * 100), ("大视频.mp4", b"y" * 600 * 1024))
    assert response.status_code == 400
    message, received = response.content.decode().split("|")
    assert message == (
        "文件‘大视频.mp4’超过了单个文件0.2MB的上限，未能上传。"
        "请压缩（视频可降低清晰度）或拆分后重新上传。"
    )
    assert "大视频.mp4" not in received


@pytest.mark.urls(__name__)
def test_whole_request_too_large_is_refused_before_reading(settings: Settings) -> None:
    settings.WENMING_UPLOAD_MAX_BYTES = 1000
    settings.WENMING_UPLOAD_MAX_FILES = 2
    response = _post(Client(), ("a.jpg", b"x" * 900), ("b.jpg", b"y" * 900), ("c.jpg", b"z"))
    assert response.status_code == 413
    assert "请分批上传" in response.content.decode()


@pytest.mark.urls(__name__)
def test_csrf_is_still_checked(settings: Settings) -> None:
    settings.WENMING_UPLOAD_MAX_BYTES = 10_000
    response = _post(Client(enforce_csrf_checks=True), ("a.jpg", b"x" * 100))
    assert response.status_code == 403


@pytest.mark.urls(__name__)
def test_too_many_files_are_refused_in_chinese(settings: Settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    response = _post(Client(), ("a.jpg", b"a"), ("b.jpg", b"b"), ("c.jpg", b"c"))
    assert response.status_code == 400
    assert "一次最多上传2个文件" in response.content.decode()


def test_truncated_jpeg_refused_after_weasyprint_relaxed_pillow() -> None:
    # Importing WeasyPrint (the binder) sets ImageFile.LOAD_TRUNCATED_IMAGES for the process.
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    data = samples.jpeg()
    assert "不完整或已损坏" in refusal(data[: len(data) // 2], "中断.jpg")
