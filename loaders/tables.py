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
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from graph.errors import DataFormatError

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
        if not ONET_CODE.fullmatch(raw):
            raise self.error(column, f"{raw!r} is not an O*NET-SOC code (NN-NNNN.NN)")
        return raw


ONET_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")


def cell_to_text(value: object) -> str:
    """Turn a calamine cell (str, float, int, bool, date, None) into its text form."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


class ReleaseSource:
    """An O*NET release on disk: a folder or a zip holding ``<Table>.txt`` or ``.xlsx``.

    Parameters
    ----------
    path
        Folder or ``.zip`` file. Files are found by name at any depth (the official
        zips hold one top folder such as ``db_29_3_text/``).
    required_table
        A table that must be present (default ``Occupation Data``), or None.

    Raises
    ------
    DataFormatError
        If the path does not exist or holds no O*NET table.
    """

    def __init__(self, path: Path, required_table: str | None = "Occupation Data") -> None:
        self.path = path
        if not path.exists():
            raise DataFormatError(str(path), "no such file or folder")
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.suffix.lower() in (".txt", ".xlsx") and file.is_file():
                    self._members.setdefault(file.name, str(file))
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
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

    def read_text(self, name: str) -> str | None:
        """Return a small text file of the release (e.g. ``Read Me.txt``) or None."""
        member = self._members.get(name)
        if member is None:
            return None
        if self._zip is not None:
            return self._zip.read(member).decode("utf-8", errors="replace")
        return Path(member).read_text(encoding="utf-8", errors="replace")

    def describe(self, table: str) -> str:
        """Human-readable location of a table, used in error messages."""
        member = self._member(table)
        if member is None:
            return f"{table}.txt"
        if self._zip is not None:
            return f"{self.path}!{self._members[member]}"
        return self._members[member]

    def _raw_rows(self, table: str) -> Iterator[list[str]]:
        member = self._member(table)
        if member is None:
            raise DataFormatError(f"{table}.txt", f"table {table!r} is missing from {self.path}")
        location = self._members[member]
        if member.endswith(".xlsx"):
            from python_calamine import CalamineWorkbook

            if self._zip is not None:
                workbook = CalamineWorkbook.from_filelike(io.BytesIO(self._zip.read(location)))
            else:
                workbook = CalamineWorkbook.from_path(location)
            for row in workbook.get_sheet_by_index(0).to_python(skip_empty_area=False):
                yield [cell_to_text(v) for v in row]
            return
        file = self.describe(table)
        try:
            raw = self._zip.read(location) if self._zip is not None else Path(location).read_bytes()
            data = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataFormatError(file, f"not UTF-8 text: {exc}") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise DataFormatError(file, f"cannot read the file: {exc}") from None
        yield from csv.reader(io.StringIO(data), delimiter="\t", quoting=csv.QUOTE_NONE)

    def read_table(self, table: str, required_columns: Sequence[str]) -> Iterator[TableRow]:
        """Yield the data rows of ``table`` after validating its header.

        Parameters
        ----------
        table
            O*NET table name without extension, e.g. ``"Related Occupations"``.
        required_columns
            Columns that must be present (extra columns are allowed: the Excel form
            carries title columns the text form lacks).

        Raises
        ------
        DataFormatError
            Missing table, missing header column (line 1), or a row with fewer cells
            than the header (truncated) or more (misaligned), naming file and line.
        """
        return validated_rows(self.describe(table), self._raw_rows(table), required_columns)


def validated_rows(
    file: str, rows: Iterator[list[str]], required_columns: Sequence[str]
) -> Iterator[TableRow]:
    """Yield :class:`TableRow` objects from raw rows (header first) of ``file``.

    Raises
    ------
    DataFormatError
        Empty file, missing header column (line 1), or a row with fewer cells than the
        header (truncated) or more (misaligned), naming file and line.
    """
    header = next(rows, None)
    if header is None:
        raise DataFormatError(file, "file is empty (no header line)", line=1)
    header = [h.strip() for h in header]
    for column in required_columns:
        if column not in header:
            raise DataFormatError(
                file, f"header lacks column {column!r} (found {header})", line=1, column=column
            )
    width = len(header)
    for index, cells in enumerate(rows, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue  # blank trailing lines
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
        Missing or unreadable file, not UTF-8, bad header or row (file, line, column).
    """
    file = str(path)
    try:
        data = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataFormatError(file, "no such file") from None
    except UnicodeDecodeError as exc:
        raise DataFormatError(file, f"not UTF-8 text: {exc}") from None
    except OSError as exc:
        raise DataFormatError(file, f"cannot read the file: {exc}") from None
    if delimiter is None:
        first = data.split("\n", 1)[0]
        delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    rows = csv.reader(io.StringIO(data), delimiter=delimiter)
    yield from validated_rows(file, rows, required_columns)


def open_release_source(path: Path) -> ReleaseSource:
    """Open an O*NET release folder or zip; see :class:`ReleaseSource`."""
    return ReleaseSource(path)
