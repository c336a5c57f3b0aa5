"""Read the structure of an evaluation system from any layout of tables.

`read_layout(document, corrections=None) -> Reading` reads every table of a
`tables.Document` (worksheets or Word tables, from `documents.read_document`): the header
(`columns`), the lines around the table (`head`), each body row's role and the tree
(`build`), then the caps, codes, checks and problems (`checks`). The wording rules it
relies on are in `text`. See docs/frameworks-excel.md for what is understood.
"""

from wenming.frameworks.io.layout.read import read_layout

__all__ = ["read_layout"]
