"""Sample evidence files built in code, so no binary fixture is committed.

Each function returns the bytes of one file: real photos, PDFs and Office documents made with
the libraries the project uses, and hand-made headers for the types that are recognised by
their first bytes only (video, audio, executables, archives).
"""

from __future__ import annotations

import gzip
import io
import random
import struct
import zipfile
import zlib

from openpyxl import Workbook
from PIL import Image, ImageDraw
from pypdf import PdfWriter


def picture(seed: int = 1, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A busy picture (coloured blocks and lines) whose look depends on `seed`."""
    rng = random.Random(seed)
    im = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(im)
    width, height = size
    for _ in range(40):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(20, width // 2), y0 + rng.randrange(20, height // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        else:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
    return im


def exif_with_date(
    original: str | None = None,
    plain: str | None = None,
    orientation: int | None = None,
    offset: str | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    if original is not None:
        exif.get_ifd(0x8769)[36867] = original
    if offset is not None:
        exif.get_ifd(0x8769)[36881] = offset
    if plain is not None:
        exif[306] = plain
    if orientation is not None:
        exif[0x0112] = orientation
    return exif


def jpeg(
    seed: int = 1,
    size: tuple[int, int] = (640, 480),
    exif: Image.Exif | None = None,
    quality: int = 90,
) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    picture(seed, size).save(out, "JPEG", quality=quality, **kwargs)
    return out.getvalue()


def png(seed: int = 1, size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    picture(seed, size).save(out, "PNG")
    return out.getvalue()


def heic(seed: int = 1, exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    picture(seed, (128, 96)).save(out, "HEIF", **kwargs)
    return out.getvalue()


def webp(seed: int = 1) -> bytes:
    out = io.BytesIO()
    picture(seed, (160, 120)).save(out, "WEBP")
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG claiming huge dimensions: Pillow sees the size in the header."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width // 8 + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("文明单位创建实施方案")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "台账"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ooxml(parts: dict[str, bytes], *, content_types: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def pptx() -> bytes:
    return ooxml({"ppt/presentation.xml": b"<p:presentation/>"})


def macro_docx() -> bytes:
    return ooxml({"word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"\x00" * 64})


def zip_bomb_docx(member_bytes: int = 60 * 1024 * 1024) -> bytes:
    """A docx-like ZIP with one member of zeros that deflates to a few dozen kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        block = b"\x00" * (1024 * 1024)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(member_bytes // len(block)):
                member.write(block)
    return out.getvalue()


def many_entries_docx(entries: int) -> bytes:
    return ooxml({f"word/media/{i}.xml": b"<x/>" for i in range(entries)})


def zip_with_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("说明.txt", "照片在里面".encode())
    return out.getvalue()


def ole(size: int = 4096) -> bytes:
    """The header of a legacy Office/WPS compound file, padded."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * (size - 8)


def mp4(brand: bytes = b"mp42") -> bytes:
    ftyp = b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00" + b"isommp41"
    return ftyp + b"\x00\x00\x00\x08free" + b"\x00\x00\x04\x00mdat" + b"\x11" * 1016


def mp3(with_id3: bool = True) -> bytes:
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    if with_id3:
        return b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame * 4
    return frame * 4


HTML = b"\xef\xbb\xbf  \n<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
MZ = b"MZ\x90\x00" + b"\x00" * 200
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
RAR = b"Rar!\x1a\x07\x01\x00" + b"\x00" * 100
SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c" + b"\x00" * 100
TIFF = b"II*\x00" + b"\x00" * 200
TEXT = "这是一段说明文字。".encode()


def gzip_bytes() -> bytes:
    return gzip.compress(b"hello" * 100)
