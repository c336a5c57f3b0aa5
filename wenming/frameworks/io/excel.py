"""Evaluation systems as Excel (.xlsx) sheets. The layout is documented in docs/frameworks-excel.md.

`load(content)` reads the sheets offices circulate into a FrameworkSpec (raising ImportFailed
with every problem, each at its row and column); `dump(spec)` writes the same layout back.
"""

from __future__ import annotations

from wenming.frameworks.io.excel_read import load
from wenming.frameworks.io.excel_write import dump

__all__ = ["dump", "load"]
