"""Reading the first sheet of a spreadsheet (.xlsx, .xls or .csv) as numbered rows keyed by column name.

Django-free, so every importer (developers, questions) reads files the same careful way:

- the format is sniffed from the content, never trusted from the name (only CSV, which has no
  signature, is recognised by its `.csv` suffix);
- CSV is decoded as UTF-8 (with or without BOM) and falls back to cp1252, the encoding spreadsheet
  programs on Windows write; its delimiter (`,`, `;` or tab) is detected from the header line;
- `.xls` dates become `datetime`s (openpyxl already does this for `.xlsx`);
- headers match the expected column names ignoring case and repeated spaces; blank rows are skipped;
- rows are numbered as a spreadsheet shows them (the header is usually row 1).

Every failure of the file as a whole is a `SheetError` with a one-line reason naming the file.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SPACES = re.compile(r"\s+")


class SheetError(Exception):
    """The file as a whole cannot be read (missing, not a spreadsheet, damaged, missing columns)."""


@dataclass(frozen=True)
class SheetRow:
    number: int
    values: dict[str, object]
    """Cell values keyed by the expected column name; columns the file lacks are absent."""


def read_sheet(path: str | Path, *, columns: Sequence[str], required: Sequence[str]) -> list[SheetRow]:
    """Every non-blank data row of the file's first sheet, keyed by the names in `columns`.

    The first non-blank row is the header; it must contain every name in `required`. Cells under
    headers that are not in `columns` are ignored.
    """
    path = Path(path)
    if not path.is_file():
        raise SheetError(f"file not found: {path}")
    return _rows_from_grid(_grid(path), path.name, columns, required)


def _grid(path: Path) -> Iterator[Sequence]:
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(_XLSX_MAGIC):
        return _xlsx_grid(path)
    if magic == _XLS_MAGIC:
        return _xls_grid(path)
    if path.suffix.lower() == ".csv":
        return _csv_grid(path)
    raise SheetError(f"{path.name} is not a spreadsheet: expected an .xlsx, .xls or .csv file")


def _xlsx_grid(path: Path) -> Iterator[tuple]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError(f"{path.name} is not a readable .xlsx workbook ({exc})") from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def _xls_grid(path: Path) -> Iterator[tuple]:
    import xlrd

    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except xlrd.XLRDError as exc:
        raise SheetError(f"{path.name} is not a readable .xls workbook ({exc})") from exc
    try:
        sheet = book.sheet_by_index(0)
        for index in range(sheet.nrows):
            yield tuple(_xls_value(cell, book.datemode) for cell in sheet.row(index))
    finally:
        book.release_resources()


def _xls_value(cell, datemode: int) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(cell.value, datemode)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _csv_grid(path: Path) -> Iterator[list[str]]:
    data = path.read_bytes()
    if b"\x00" in data:
        raise SheetError(f"{path.name} is not a text CSV file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError(f"{path.name} is not a text CSV file (unknown encoding)")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _rows_from_grid(
    grid: Iterator[Sequence], filename: str, columns: Sequence[str], required: Sequence[str]
) -> list[SheetRow]:
    known = {header_key(name): name for name in columns}
    found: dict[int, str] | None = None
    rows = []
    for number, cells in enumerate(grid, start=1):
        if all(is_blank(cell) for cell in cells):
            continue
        if found is None:
            found = {
                index: known[header_key(cell)]
                for index, cell in enumerate(cells)
                if isinstance(cell, str) and header_key(cell) in known
            }
            missing = [name for name in required if name not in found.values()]
            if missing:
                raise SheetError(f"{filename} is missing required columns: {', '.join(missing)}")
            continue
        values = {name: cells[index] for index, name in found.items() if index < len(cells)}
        rows.append(SheetRow(number=number, values=values))
    if found is None:
        raise SheetError(f"{filename} is empty: expected a header row with {', '.join(required)}")
    return rows


def header_key(header: str) -> str:
    """A header as compared: case and runs of spaces do not matter."""
    return _SPACES.sub(" ", header).strip().casefold()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
