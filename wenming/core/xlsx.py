"""What every sheet we hand to offices shares: how it prints."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet


def print_setup(ws: Worksheet, header_row: int) -> None:
    """A4 landscape, one page wide, header frozen on screen and repeated on every page."""
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
