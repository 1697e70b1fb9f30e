"""Reading O*NET tables from a folder or zip, in text (tab-delimited) or Excel form.

A release is located by :func:`open_release_source`; each table is read by
:meth:`ReleaseSource.read_table`, which validates the header and yields
:class:`TableRow` objects that know their file and line, so any parse error can name
the exact cell. The official O*NET text files write missing values as ``n/a``; the
Excel files and our converted TSVs leave them empty: both read as ``""``.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from careergraph.graph.errors import DataFormatError
from careergraph.graph.model import ONET_SOC_CODE

MISSING_VALUES = frozenset({"", "n/a", "N/A"})


@dataclass(frozen=True, slots=True)
class TableRow:
    """One data row of a source table.

    ``line`` is 1-based with the header on line 1 (text line or spreadsheet row).
    """

    file: str
    line: int
    cells: dict[str, str]

    def error(self, column: str, reason: str) -> DataFormatError:
        """Build a :class:`DataFormatError` pointing at ``column`` of this row."""
        return DataFormatError(self.file, reason, line=self.line, column=column)

    def text(self, column: str, *, required: bool = True) -> str:
        """Return the stripped cell; raise if ``required`` and missing."""
        value = self.cells[column].strip()
        if value in MISSING_VALUES:
            if required:
                raise self.error(column, "value is missing")
            return ""
        return value

    def number(self, column: str, *, low: float | None = None, high: float | None = None) -> float:
        """Return the cell as a float within ``[low, high]``, else raise."""
        raw = self.text(column)
        try:
            value = float(raw)
        except ValueError:
            raise self.error(column, f"{raw!r} is not a number") from None
        if (
            value != value
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise self.error(column, f"{raw!r} is outside {low}..{high}")
        return value

    def integer(self, column: str, *, low: int | None = None, high: int | None = None) -> int:
        """Return the cell as an int within ``[low, high]``, else raise."""
        raw = self.text(column)
        try:
            as_float = float(raw)
        except ValueError:
            raise self.error(column, f"{raw!r} is not a whole number") from None
        if not as_float.is_integer():
            raise self.error(column, f"{raw!r} is not a whole number")
        value = int(as_float)
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.error(column, f"{raw!r} is outside {low}..{high}")
        return value

    def flag(self, column: str) -> bool:
        """Return a Y/N cell as a bool, else raise."""
        raw = self.text(column)
        if raw not in ("Y", "N"):
            raise self.error(column, f"{raw!r} is not Y or N")
        return raw == "Y"

    def onet_code(self, column: str) -> str:
        """Return an O*NET-SOC code cell (``NN-NNNN.NN``), else raise."""
        raw = self.text(column)
        if not ONET_SOC_CODE.fullmatch(raw):
            raise self.error(column, f"{raw!r} is not an O*NET-SOC code (NN-NNNN.NN)")
        return raw


def cell_to_text(value: object) -> str:
    """Turn a calamine cell (str, float, int, bool, date, None) into its text form."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


MAX_FIELD_CHARS = 131_072
"""Longest cell accepted, characters (the limit of Python's csv module). Every O*NET and BLS
cell is far shorter (the longest, a description, has under 2,000); a longer one means a
damaged file, and reading it whole would cost memory for nothing."""


def _one_line(text: object) -> str:
    """``text`` as one line (library error messages may span several)."""
    return " ".join(str(text).split())


def decode_text(raw: bytes, file: str) -> str:
    """Decode a UTF-8 text file (a leading byte-order mark is dropped).

    Raises
    ------
    DataFormatError
        A byte sequence that is not UTF-8, naming its line (1-based) and the column of the
        header (first line) it falls in, if the file is tab-delimited.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = raw.count(b"\n", 0, start) + 1
        line_start = raw.rfind(b"\n", 0, start) + 1
        index = raw.count(b"\t", line_start, start)
        header_end = raw.find(b"\n")
        header = raw[: header_end if header_end >= 0 else len(raw)]
        names = header.decode("utf-8-sig", errors="replace").rstrip("\r").split("\t")
        column = names[index].strip() if line > 1 and index < len(names) else None
        bad = raw[start : exc.end].hex(" ")
        raise DataFormatError(
            file,
            f"bytes {bad} are not UTF-8 text (character {start - line_start + 1} of the line); "
            "save the file as UTF-8",
            line=line,
            column=column,
        ) from None


def split_text_rows(text: str) -> Iterator[list[str]]:
    """Split tab-delimited text into rows of cells: one row per line (``\\n``, ``\\r\\n`` or
    ``\\r``), no quoting, as the O*NET and BLS text files are written. Empty lines give
    ``[]``."""
    for line in io.StringIO(text, newline=None):
        line = line.removesuffix("\n")
        yield line.split("\t") if line else []


def read_workbook_rows(
    workbook: bytes | Path, file: str, sheet: str | None = None
) -> tuple[str, list[list[str]]]:
    """The name and all rows of one worksheet of an ``.xlsx`` workbook, as text cells
    (:func:`cell_to_text`); ``sheet`` names it, None takes the first.

    Raises
    ------
    DataFormatError
        The file is not a readable workbook (not a zip, damaged, encrypted) or lacks the
        sheet.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        if isinstance(workbook, Path):
            book = CalamineWorkbook.from_path(str(workbook))
        else:
            book = CalamineWorkbook.from_filelike(io.BytesIO(workbook))
        names = list(book.sheet_names)
        name = sheet if sheet is not None else (names[0] if names else None)
        if name is None or name not in names:
            wanted = "any sheet" if name is None else f"sheet {name!r}"
            raise DataFormatError(file, f"the workbook has no {wanted} (sheets: {names})")
        cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise DataFormatError(
            file, f"not a readable Excel workbook ({type(exc).__name__}: {_one_line(exc)})"
        ) from None
    except (OSError, ValueError, IndexError) as exc:
        raise DataFormatError(file, f"cannot read the workbook: {_one_line(exc)}") from None
    return name, [[cell_to_text(value) for value in row] for row in cells]


def check_cells(file: str, line: int, header: Sequence[str], cells: Sequence[str]) -> None:
    """Raise a :class:`DataFormatError` for a cell longer than :data:`MAX_FIELD_CHARS` or
    holding a NUL character (binary data), naming the line and the column."""
    for index, cell in enumerate(cells):
        reason = None
        if len(cell) > MAX_FIELD_CHARS:
            reason = f"a {len(cell):,}-character value; no cell may exceed {MAX_FIELD_CHARS:,}"
        elif "\x00" in cell:
            reason = "a NUL character (binary data, not text)"
        if reason is not None:
            column = header[index] if index < len(header) else f"#{index + 1}"
            raise DataFormatError(file, f"damaged row: {reason}", line=line, column=column)


class ReleaseSource:
    """An O*NET release on disk: a folder or a zip holding ``<Table>.txt`` or ``.xlsx``.

    Parameters
    ----------
    path
        Folder or ``.zip`` file. Files are found by name at any depth (the official
        zips hold one top folder such as ``db_29_3_text/``).
    required_table
        A table that must be present (default ``Occupation Data``), or None.

    Attributes
    ----------
    rows_read
        Data rows of each table read to its end, e.g. ``{"Job Zones": 923}``.

    Raises
    ------
    DataFormatError
        If the path does not exist or holds no O*NET table.
    """

    def __init__(self, path: Path, required_table: str | None = "Occupation Data") -> None:
        self.path = path
        self.rows_read: dict[str, int] = {}
        if not path.exists():
            raise DataFormatError(str(path), "no such file or folder")
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.suffix.lower() in (".txt", ".xlsx") and file.is_file():
                    self._members.setdefault(file.name, str(file))
        elif zipfile.is_zipfile(path):
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise DataFormatError(str(path), f"damaged zip file: {_one_line(exc)}") from None
            for name in self._zip.namelist():
                base = PurePosixPath(name).name
                if base.lower().endswith((".txt", ".xlsx")):
                    self._members.setdefault(base, name)
        else:
            raise DataFormatError(str(path), "not a folder or a zip file")
        if required_table is not None and not self.has_table(required_table):
            self.close()
            raise DataFormatError(
                str(path), f"no {required_table!r} table (.txt or .xlsx): not an O*NET release"
            )

    def close(self) -> None:
        """Close the underlying zip file, if any."""
        if self._zip is not None:
            self._zip.close()

    def _member(self, table: str) -> str | None:
        for suffix in (".txt", ".xlsx"):
            if table + suffix in self._members:
                return table + suffix
        return None

    def has_table(self, table: str) -> bool:
        """Whether the release holds ``table`` (e.g. ``"Job Zones"``) in either form."""
        return self._member(table) is not None

    def _read_bytes(self, location: str, file: str) -> bytes:
        try:
            if self._zip is not None:
                return self._zip.read(location)
            return Path(location).read_bytes()
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise DataFormatError(
                file, f"damaged zip member, cannot extract it: {_one_line(exc)}"
            ) from None
        except OSError as exc:
            raise DataFormatError(file, f"cannot read the file: {_one_line(exc)}") from None

    def read_text(self, name: str) -> str | None:
        """Return a small text file of the release (e.g. ``Read Me.txt``) or None.

        Undecodable bytes are replaced (the text is only searched for the release number).
        """
        member = self._members.get(name)
        if member is None:
            return None
        return self._read_bytes(member, self._label(member)).decode("utf-8", errors="replace")

    def _label(self, member_location: str) -> str:
        if self._zip is not None:
            return f"{self.path}!{member_location}"
        return member_location

    def describe(self, table: str) -> str:
        """Human-readable location of a table, used in error messages: the file, or for a
        missing table where it was expected (``<folder>/<table>.txt``, ``<zip>!<table>.txt``)."""
        member = self._member(table)
        if member is None:
            separator = "!" if self._zip is not None else "/"
            return f"{self.path}{separator}{table}.txt"
        return self._label(self._members[member])

    def _raw_rows(self, table: str) -> Iterator[list[str]]:
        member = self._member(table)
        file = self.describe(table)
        if member is None:
            raise DataFormatError(
                file, f"table {table!r} is missing (no {table}.txt or {table}.xlsx)"
            )
        raw = self._read_bytes(self._members[member], file)
        if member.endswith(".xlsx"):
            yield from read_workbook_rows(raw, file)[1]
            return
        yield from split_text_rows(decode_text(raw, file))

    def read_table(
        self, table: str, required_columns: Sequence[str], *, allow_empty: bool = False
    ) -> Iterator[TableRow]:
        """Yield the data rows of ``table`` after validating its header.

        When the table has been read to its end, ``rows_read[table]`` holds its number of
        data rows.

        Parameters
        ----------
        table
            O*NET table name without extension, e.g. ``"Related Occupations"``.
        required_columns
            Columns that must be present (extra columns are allowed: the Excel form
            carries title columns the text form lacks).
        allow_empty
            Accept a table with a header and no data rows.

        Raises
        ------
        DataFormatError
            Missing, unreadable or empty table; not UTF-8 text; missing header column
            (line 1); a row with fewer cells than the header (truncated) or more
            (misaligned); a damaged cell (longer than :data:`MAX_FIELD_CHARS`, or binary);
            each naming file, line and column where they apply.
        """
        file = self.describe(table)
        count = 0
        for row in validated_rows(file, self._raw_rows(table), required_columns):
            count += 1
            yield row
        if count == 0 and not allow_empty:
            raise DataFormatError(file, "no data rows: the file holds only its header", line=2)
        self.rows_read[table] = count


def validated_rows(
    file: str, rows: Iterator[list[str]], required_columns: Sequence[str]
) -> Iterator[TableRow]:
    """Yield :class:`TableRow` objects from raw rows (header first) of ``file``.

    Raises
    ------
    DataFormatError
        Empty file, missing header column (line 1), a row with fewer cells than the header
        (truncated) or more (misaligned), or a damaged cell (:func:`check_cells`), naming
        file, line and column where they apply.
    """
    header = next(rows, None)
    if header is None or not any(h.strip() for h in header):
        raise DataFormatError(file, "file is empty (no header line)", line=1)
    header = [h.strip() for h in header]
    check_cells(file, 1, header, header)
    for column in required_columns:
        if column not in header:
            raise DataFormatError(
                file, f"header lacks column {column!r} (found {header})", line=1, column=column
            )
    width = len(header)
    for index, cells in enumerate(rows, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue  # blank trailing lines
        check_cells(file, index, header, cells)
        if len(cells) < width:
            raise DataFormatError(
                file,
                f"truncated row: {len(cells)} cells, header has {width}",
                line=index,
                column=header[len(cells)],
            )
        if len(cells) > width:
            raise DataFormatError(
                file, f"row has {len(cells)} cells, header has {width}", line=index
            )
        yield TableRow(file, index, dict(zip(header, cells, strict=True)))


def read_delimited_file(
    path: Path, required_columns: Sequence[str], *, delimiter: str | None = None
) -> Iterator[TableRow]:
    """Yield the data rows of a delimited text file (CSV, ``;``- or tab-separated).

    Parameters
    ----------
    path
        UTF-8 text file (a byte-order mark is allowed), header on line 1.
    required_columns
        Columns the header must have (extra columns are allowed).
    delimiter
        Cell separator; None = guessed from the header line (``;``, tab, else ``,``).

    Raises
    ------
    DataFormatError
        Missing or unreadable file, not UTF-8, bad header, row or cell (file, line,
        column).
    """
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFormatError(file, "no such file") from None
    except OSError as exc:
        raise DataFormatError(file, f"cannot read the file: {exc}") from None
    data = decode_text(raw, file)
    if delimiter is None:
        first = data.split("\n", 1)[0]
        delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(data), delimiter=delimiter)

    def raw_rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except csv.Error as exc:
            raise DataFormatError(
                file, f"damaged row: {_one_line(exc)}", line=reader.line_num
            ) from None

    yield from validated_rows(file, raw_rows(), required_columns)


def open_release_source(path: Path) -> ReleaseSource:
    """Open an O*NET release folder or zip; see :class:`ReleaseSource`."""
    return ReleaseSource(path)
