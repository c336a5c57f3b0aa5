"""Format readers behind `wenming.frameworks.io.documents.read_document`.

Each module turns one family of files into `tables.Table`s: `xlsx` (openpyxl), `sheets`
(.xls/.et/.ods through python-calamine, xlrd for .xls when calamine fails), `word` (.docx
table XML), `convert` (LibreOffice for .doc/.wps/.odt), with the container checks that run
before any parser in `ole` (OLE2 compound files) and `packages` (ZIP limits).
"""
