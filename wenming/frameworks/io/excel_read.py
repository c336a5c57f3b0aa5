"""Read an evaluation system from an .xlsx workbook: `load(content) -> FrameworkSpec`.

The workbook is read into tables by `documents.read_document` and its structure by the
layout reader (`layout.read_layout`), the same path every upload takes; this module keeps
the historical entry point used by the round trip with `excel_write.dump`. Every problem
found is raised together as ImportFailed, each placed at its sheet, row and column.
"""

from __future__ import annotations

from wenming.frameworks.io.excel_format import positional_code
from wenming.frameworks.io.spec import FrameworkSpec, ImportFailed


def load(content: bytes, filename: str = "测评体系.xlsx") -> FrameworkSpec:
    """Parse a workbook (any layout the layout reader understands). Raises ImportFailed
    listing every problem when a cell could not be read; a tree that reads but does not add
    up is returned, and `spec.validate` (run by every import) refuses it."""
    from wenming.frameworks.io.documents import read_document
    from wenming.frameworks.io.layout import read_layout

    reading = read_layout(read_document(content, filename))
    if len(reading.problems) > len(reading.check_problems):
        raise ImportFailed(reading.problems)
    return reading.tree


__all__ = ["load", "positional_code"]
