"""OLE2 compound files (.xls, .et, .doc, .wps, password-protected Office files), read
just enough to tell them apart and to refuse a bomb before a parser sees them.

An OLE2 file is a small FAT file system: a header, a sector allocation table, a directory of
named streams. `CompoundFile` lists the top-level streams and reads one; `biff_extent` walks
an .xls workbook stream's records for the used range of every sheet (python-calamine
allocates rows x columns cells, so two cells at A1 and IV65536 would cost a gigabyte).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREE, END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
MAX_REGULAR = 0xFFFFFFFA


class NotCompound(Exception):
    """The bytes are not a readable OLE2 compound file."""


@dataclass(frozen=True)
class Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int
    left: int
    right: int
    child: int


class CompoundFile:
    def __init__(self, content: bytes):
        try:
            self._open(content)
        except (struct.error, IndexError, ValueError, OverflowError, MemoryError) as exc:
            raise NotCompound from exc

    def _open(self, content: bytes) -> None:
        if len(content) < 512 or not content.startswith(MAGIC):
            raise NotCompound
        self.content = content
        (shift,) = struct.unpack_from("<H", content, 30)
        (mini_shift,) = struct.unpack_from("<H", content, 32)
        if shift not in (9, 12) or mini_shift != 6:
            raise NotCompound
        self.sector = 1 << shift
        self.sectors = max(0, (len(content) - self.sector) // self.sector)
        first_dir, _, self.cutoff, first_minifat, _, first_difat, difat_count = struct.unpack_from(
            "<7I", content, 48
        )
        self.fat = self._read_fat(first_difat, difat_count)
        self.entries = self._read_directory(first_dir)
        if any(e.kind in (2, 5) and e.size > len(content) for e in self.entries):
            raise NotCompound  # a stream larger than the file: damaged or crafted
        root = self.entries[0]
        self.mini_stream = self._chain_bytes(root.start, root.size) if root.size else b""
        self.minifat = (
            _uints(self._chain_bytes(first_minifat, None)) if first_minifat <= MAX_REGULAR else []
        )

    def _sector_bytes(self, index: int) -> bytes:
        if index >= self.sectors:
            raise NotCompound
        start = (index + 1) * self.sector
        return self.content[start : start + self.sector]

    def _read_fat(self, first_difat: int, difat_count: int) -> list[int]:
        fat_sectors = [s for s in _uints(self.content[76:512]) if s <= MAX_REGULAR]
        seen: set[int] = set()
        sector = first_difat
        for _ in range(min(difat_count, self.sectors)):
            if sector > MAX_REGULAR or sector in seen:
                break
            seen.add(sector)
            values = _uints(self._sector_bytes(sector))
            fat_sectors += [s for s in values[:-1] if s <= MAX_REGULAR]
            sector = values[-1]
        if len(fat_sectors) > self.sectors:
            raise NotCompound
        return [v for s in fat_sectors for v in _uints(self._sector_bytes(s))]

    def _chain(self, start: int, table: list[int], limit: int) -> list[int]:
        chain: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector <= MAX_REGULAR:
            if sector in seen or sector >= len(table) or len(chain) > limit:
                raise NotCompound  # a loop or a pointer out of the file
            seen.add(sector)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int, size: int | None) -> bytes:
        data = b"".join(self._sector_bytes(s) for s in self._chain(start, self.fat, self.sectors))
        return data if size is None else data[:size]

    def _read_directory(self, first: int) -> list[Entry]:
        data = self._chain_bytes(first, None)
        entries = []
        for offset in range(0, len(data) - 127, 128):
            raw = data[offset : offset + 128]
            (length,) = struct.unpack_from("<H", raw, 64)
            name = raw[: max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
            left, right, child = struct.unpack_from("<3I", raw, 68)
            start, size = struct.unpack_from("<IQ", raw, 116)
            if self.sector == 512:
                size &= 0xFFFFFFFF  # version 3 files keep garbage in the high half
            entries.append(Entry(name, raw[66], start, size, left, right, child))
        if not entries or entries[0].kind != 5:
            raise NotCompound
        return entries

    def top_level(self) -> dict[str, Entry]:
        """The root storage's direct children by name (the directory is a red-black tree)."""
        found: dict[str, Entry] = {}
        stack = [self.entries[0].child]
        seen: set[int] = set()
        while stack:
            index = stack.pop()
            if index > MAX_REGULAR or index >= len(self.entries) or index in seen:
                continue
            seen.add(index)
            entry = self.entries[index]
            found[entry.name] = entry
            stack += [entry.left, entry.right]
        return found

    def read(self, entry: Entry, limit: int | None = None) -> bytes:
        """A stream's bytes, or its first `limit` bytes."""
        try:
            return self._read(entry, limit)
        except (struct.error, IndexError, ValueError, OverflowError, MemoryError) as exc:
            raise NotCompound from exc

    def _read(self, entry: Entry, limit: int | None) -> bytes:
        size = entry.size if limit is None else min(entry.size, limit)
        if entry.size < self.cutoff:
            mini = 64
            chain = self._chain(entry.start, self.minifat, len(self.minifat))
            data = b"".join(self.mini_stream[s * mini : (s + 1) * mini] for s in chain)
            return data[:size]
        if size > len(self.content):
            raise NotCompound
        return self._chain_bytes(entry.start, None)[:size]


def _uints(data: bytes) -> list[int]:
    count = len(data) // 4
    return list(struct.unpack_from(f"<{count}I", data))


# -- .xls: the BIFF records of a workbook stream ------------------------------------------------

BOF, EOF, FILEPASS = 0x0809, 0x000A, 0x002F
DRAWINGS = {0x00EB, 0x00EC}  # MSODRAWINGGROUP, MSODRAWING: pictures
CELLS = {0x0203, 0x0204, 0x00FD, 0x027E, 0x0205, 0x0006, 0x00D6, 0x0406}
MULRK = 0x00BD


DIMENSIONS, SST = 0x0200, 0x00FC


@dataclass
class BiffScan:
    encrypted: bool = False
    pictures: bool = False
    # the used range (rows, columns) of each substream that holds cells, in order
    extents: list[tuple[int, int]] = field(default_factory=list)
    # what records claim and a parser may allocate up front (python-calamine trusts both):
    # the cells of the largest DIMENSIONS record, the strings of the SST
    claimed_cells: int = 0
    claimed_strings: int = 0


def biff_scan(stream: bytes) -> BiffScan:
    """Walk the records: password protection, pictures, and each sheet's used range."""
    scan = BiffScan()
    rows = cols = -1
    offset, end = 0, len(stream)
    while offset + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, offset)
        body = offset + 4
        if body + length > end:
            break  # a record cut short: the parsers will say the file is damaged
        if kind == FILEPASS:
            scan.encrypted = True
            break
        if kind in DRAWINGS:
            scan.pictures = True
        elif kind in CELLS and length >= 4:
            row, col = struct.unpack_from("<HH", stream, body)
            rows, cols = max(rows, row), max(cols, col)
        elif kind == MULRK and length >= 6:
            (row,) = struct.unpack_from("<H", stream, body)
            (last,) = struct.unpack_from("<H", stream, body + length - 2)
            rows, cols = max(rows, row), max(cols, last)
        elif kind == DIMENSIONS:
            scan.claimed_cells = max(scan.claimed_cells, _dimensions(stream[body : body + length]))
        elif kind == SST and length >= 8:
            (unique,) = struct.unpack_from("<I", stream, body + 4)
            scan.claimed_strings = max(scan.claimed_strings, unique)
        elif kind == EOF:
            if rows >= 0:
                scan.extents.append((rows + 1, cols + 1))
            rows = cols = -1
        elif kind == 0 and length == 0:
            break  # the zero padding after the last record
        offset = body + length
    return scan


def _dimensions(body: bytes) -> int:
    """The cells a DIMENSIONS record claims; huge when it is damaged."""
    huge = 1 << 40
    if len(body) >= 14:  # BIFF8: rows are 32-bit
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
    elif len(body) >= 8:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
    else:
        return 0
    if first_row > last_row or first_col > last_col:
        return huge
    return max(last_row, 1) * max(last_col, 1)


def word_encrypted(stream: bytes) -> bool:
    """The FIB's fEncrypted flag (bit 8 of the flags at offset 10) of a WordDocument stream."""
    if len(stream) < 12:
        return False
    (flags,) = struct.unpack_from("<H", stream, 10)
    return bool(flags & 0x0100)
