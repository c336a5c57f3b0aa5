"""Names for folders and files inside a ZIP binder that open on every office computer.

Windows refuses `/ \\ : * ? " < > |`, control characters, and names ending in a dot or a
space; very long paths break Explorer and some unzip tools. Names here are cut to a length
that keeps a three-level path well under 260 characters, and made unique case-insensitively
(Windows and macOS file systems ignore case).
"""

from __future__ import annotations

import re
import unicodedata

FORBIDDEN = re.compile(r'[/\\:*?"<>|]')
FOLDER_MAX = 60
FILE_MAX = 100
UNNAMED = "未命名"


def clean(text: str, limit: int) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    text = " ".join(FORBIDDEN.sub("_", text).split())
    text = text[:limit].rstrip(" .")
    return text.lstrip(" .") or UNNAMED


def file_name(stem: str, ext: str) -> str:
    """`stem.ext` within FILE_MAX characters, keeping the extension whole."""
    ext = clean(ext, 10).lower() if ext else ""
    room = FILE_MAX - (len(ext) + 1 if ext else 0)
    stem = clean(stem, room)
    return f"{stem}.{ext}" if ext else stem


class UniqueNames:
    """Hands out names unique within one folder: 照片.jpg, 照片(2).jpg, ..."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, name: str) -> str:
        stem, dot, ext = name.rpartition(".")
        if not dot or not stem:
            stem, ext = name, ""
        candidate, n = name, 1
        while candidate.casefold() in self._taken:
            n += 1
            candidate = f"{stem}({n}).{ext}" if ext else f"{stem}({n})"
        self._taken.add(candidate.casefold())
        return candidate
