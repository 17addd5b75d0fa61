"""The XLSX download: a typed table as one Excel sheet, written as SpreadsheetML text.

The sheet's XML is made column by column with pyarrow's string kernels (as the CSV's
``joined_lines``) and deflated into the zip in batches of rows (``XLSX_CHUNK_ROWS``): the
texts of one batch at a time are in memory, never the whole sheet. The other parts of the
package (content types, relations, workbook, styles, properties) are fixed templates, and
every zip entry is dated ``ZIP_DATE``: the same table always gives the same bytes.

What a cell holds (the rules of docs/open-data.md, "Downloads"):

* text — the CSV's text (formulas neutralised) as an inline string cell, never a formula;
  control characters and the XML-forbidden U+FFFE/U+FFFF escaped as Excel writes them
  (``_xHHHH_``, a literal ``_xHHHH_`` as ``_x005F_xHHHH_``, as XlsxWriter did), ``&``,
  ``<`` and ``>`` escaped, leading or trailing whitespace kept (``xml:space``);
* integers and numbers — number cells when Excel holds them exactly (15 significant
  digits, finite), else the CSV's text;
* booleans — boolean cells;
* dates, datetimes and times — date cells (``yyyy-mm-dd``, ``yyyy-mm-dd hh:mm:ss``,
  ``hh:mm:ss``) when Excel can show them (1900-9999, no UTC offset), else the ISO text;
* missing values — no cell; the header row bold and frozen.

Why this writer (issue 19). One 1,000,000-row, 10-column typed table (integers with and
without missing cells, Cyrillic and formula-like strings, numbers of 2 and 17 digits, dates,
booleans, years), read by ``tables.read_typed``; the XLSX alone, from the written shape to
the bytes; a shared 2-core machine, load average 1.8-2.0:

==========================================  =======  ======  ============  ===============
writer                                       seconds    MB     same bytes?   memory
==========================================  =======  ======  ============  ===============
XlsxWriter 3.3 ``constant_memory``, the        66.9    70.5   yes (zip       rows streamed
former path (cell by cell, then re-zipped)                   re-written)
pyexcelerate 0.13                              46.7    70.4   no (times)     whole sheet
rustpy-xlsxwriter 0.8 (rust_xlsxwriter)        11.3    68.1   no (times)     whole frame
this module (pyarrow kernels + zipfile)         5.4    87.3   yes            one batch
==========================================  =======  ======  ============  ===============

(The two libraries' times include the 2.3 s it takes to make the Python cell values with
these rules; rustpy-xlsxwriter also wrote the integers of object columns as floats.) Every
file opened in openpyxl; no LibreOffice was at hand. This one: the median of 3 runs, the
same sha256 each time, the whole sheet well-formed XML with every row's and cell's
reference. rustpy-xlsxwriter, the fastest library, is 2.1x slower and needs the sheet in
memory, so the module writes the XML itself. Its file is larger because zlib runs at level 1
(``XLSX_COMPRESSLEVEL``): level 6 deflates the 441 MB sheet in 7.2 s instead of 1.9 s for a
file 19 % smaller.

XlsxWriter's ``constant_memory`` also wrote a text that starts with ``<r>`` and ends with
``</r>`` unescaped, as rich text (the cell lost its text, and a hostile one could break the
sheet's XML); crashed on a float of 1e16 or more (``1e+16``: ``excel_exact`` read the
exponent's ``+`` as part of an integer); and gave a datetime on 1900-01-01 the serial of a
time of day. Here every text is escaped, such floats are number cells, and 1900-01-01T12:00
is serial 1.5.
"""

from __future__ import annotations

import re
import zipfile
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from moldir.pipeline.downloads import Written
    from moldir.pipeline.tables import Table

# Rows per batch: the cell texts of one batch at a time are held in memory.
XLSX_CHUNK_ROWS = 65_536
# Fixed timestamp inside zip entries (every zip the build writes): the same data always
# gives the same archive.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
# zlib's level (see the module's docstring): 1 deflates the sheet ~3.8x faster than 6.
XLSX_COMPRESSLEVEL = 1
# Styles (cellXfs in STYLES): the bold header, then the date, datetime and time formats.
BOLD, STYLE_OF = 1, {"date": 2, "datetime": 3, "time": 4}
# Days from Excel's epoch (1899-12-31, serial 0) to 1970-01-01, without the 1900 leap
# day Excel counts (added to every serial over 59, as Excel and XlsxWriter do).
EPOCH_DAYS = 25_568
DAY_US = 86_400_000_000

# Python's \s (what XlsxWriter tested for xml:space) as RE2 sees it (see FORMULA_START_RE2).
SPACE_RE2 = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"
EDGE_SPACE_RE2 = rf"^{SPACE_RE2}|{SPACE_RE2}$"
# Excel's escape of characters XML 1.0 forbids (and of a literal escape), as XlsxWriter.
LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
CONTROL_RE2 = r"[\x{00}-\x{08}\x{0b}-\x{1f}\x{fffe}\x{ffff}]"
LITERAL_ESCAPE_RE2 = r"_x[0-9a-fA-F]{4}_"
SPECIAL_RE2 = r"[\x{00}-\x{08}\x{0b}-\x{1f}\x{fffe}\x{ffff}&<>]|_x[0-9a-fA-F]{4}_"
CONTROL_CHARS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20))] + ["\ufffe", "\uffff"]

# What the text of a value Excel can show as a date looks like (a naive ISO form).
DATE_RE2 = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_RE2 = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?$"
TIME_RE2 = r"^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?$"
# The same with a UTC offset (isoformat of an aware value): Excel cannot show it.
AWARE_RE2 = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2}T)?[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?"
    r"[+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{6})?)?$"
)

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/><Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
    '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    XML_HEAD + f'<Relationships xmlns="{PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>'
)
# No dcterms:created or dcterms:modified: a save time would change the bytes every build.
CORE = (
    XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Moldir</dc:creator>'
    "</cp:coreProperties>"
)
APP = (
    XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Moldir</Application></Properties>'
)
WORKBOOK_RELS = (
    XML_HEAD + f'<Relationships xmlns="{PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
STYLES = (
    XML_HEAD + f'<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
SHEET_TAIL = (
    '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
    'header="0.3" footer="0.3"/></worksheet>'
)


def write_xlsx(table: Table, sheet_title: str, shape: Written, out: BinaryIO) -> None:
    """A workbook of one sheet, ``safe_sheet_title(sheet_title)``: the header row (the
    CSV's names, bold, frozen) and one row per table row, typed as the module says.
    ``shape`` is the table as the CSV writes it (``downloads.written``)."""
    import pyarrow as pa

    count = len(table.frame)
    width = len(shape.names)
    title = xml_text(safe_sheet_title(sheet_title), attribute=True)
    workbook = (
        XML_HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews>'
        "<workbookView/></bookViews><sheets>"
        f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/app.xml": APP,
        "docProps/core.xml": CORE,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=XLSX_COMPRESSLEVEL) as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"), compresslevel=XLSX_COMPRESSLEVEL)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = XLSX_COMPRESSLEVEL  # what writestr sets; open() reads it
        with zf.open(info, "w", force_zip64=large_sheet(shape, count)) as entry:
            entry.write(sheet_head(shape.names, count, width).encode("utf-8"))
            for start in range(0, count, XLSX_CHUNK_ROWS):
                stop = min(count, start + XLSX_CHUNK_ROWS)
                rows = pa.array(range(start + 2, stop + 2), pa.int64()).cast(pa.string())
                cells = [
                    column_cells(table, item, texts, index, rows, start, stop)
                    for index, (item, texts) in enumerate(
                        zip(table.fields, shape.texts, strict=True)
                    )
                ]
                entry.write(sheet_rows(rows, cells))
            entry.write(SHEET_TAIL.encode("utf-8"))


def large_sheet(shape: Written, count: int) -> bool:
    """Whether the sheet's XML may pass 2 GiB (then its zip entry needs zip64): an upper
    bound from the texts' bytes, decided by the table alone (so reproducibly)."""
    import pyarrow.compute as pc

    text_bytes = sum(pc.sum(pc.binary_length(t)).as_py() or 0 for t in shape.texts if len(t))
    # Escaping makes a byte at most 7 ("_x0000_"); a cell's markup is under 96 bytes.
    return text_bytes * 7 + count * (len(shape.names) * 96 + 32) > 0x7FFF_FFFF


def sheet_head(names: list[str], count: int, width: int) -> str:
    """The worksheet's XML before the data rows: dimension, frozen header, header row."""
    last = f"{column_letters(max(width, 1) - 1)}{count + 1}"
    header = "".join(
        f'<c r="{column_letters(index)}1" s="{BOLD}" t="inlineStr">{inline(name)}</c>'
        for index, name in enumerate(names)
    )
    return (
        XML_HEAD + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f'<dimension ref="A1:{last}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
        f'<row r="1">{header}</row>'
    )


def sheet_rows(rows: pa.Array, cells: list[pa.Array]) -> bytes:
    """``<row>`` elements of a batch: each row number and its cells' XML, as UTF-8."""
    import pyarrow as pa
    import pyarrow.compute as pc

    large = pa.large_string()
    parts = [pa.scalar('<row r="', large), rows.cast(large), pa.scalar('">', large)]
    parts += [c.cast(large) for c in cells] + [pa.scalar("</row>", large)]
    joined = pc.binary_join_element_wise(*parts, pa.scalar("", large))
    buffers = joined.buffers()
    offsets = memoryview(buffers[1]).cast("q")
    begin, end = offsets[joined.offset], offsets[joined.offset + len(joined)]
    return bytes(memoryview(buffers[2])[begin:end])


def column_letters(index: int) -> str:
    """Excel's name of a 0-based column: A … Z, AA …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ----------------------------------------------------------------------------- cells


def column_cells(
    table: Table, item: Any, texts: pa.Array, index: int, rows: pa.Array, start: int, stop: int
) -> pa.Array:
    """The XML of one column's cells in rows ``start:stop`` ("" for a missing value)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    series = table.frame[item.name].iloc[start:stop]
    texts = texts.slice(start, stop - start)
    overlay = table.exact.get(item.name)
    if overlay is not None:
        overlay = overlay[(overlay.index >= start) & (overlay.index < stop)]
        overlay.index = overlay.index - start
        overlay = overlay if len(overlay) else None
    letters = column_letters(index)
    dtype, kind = str(series.dtype), item.type
    if dtype == "boolean":
        truth = arrow(series)
        values = pc.if_else(truth, pa.scalar("1"), pa.scalar("0"))
        return typed_cells(letters, rows, values, ' t="b"')
    if dtype in ("Int64", "Float64") and kind in ("integer", "year", "number"):
        numbers = arrow(series)
        if dtype == "Int64":
            values = numbers.fill_null(0).to_numpy(zero_copy_only=False)
            exact = np.abs(values) < 10**15
            shown = pc.cast(numbers, pa.string())
        else:
            exact = excel_exact(texts)
            shown = texts  # a float's shortest form, which Excel reads back exactly
        if overlay is not None:
            exact[overlay.index.to_numpy()] = False
        return mixed_cells(letters, rows, texts, shown, exact, "")
    if dtype == "object" and kind in ("integer", "year", "number"):
        # Integers beyond 64 bits (and exact numbers): each value decides, in Python.
        values = series.tolist()
        exact = np.array([excel_number(v) for v in values], dtype=bool)
        shown = [str(v) if ok else None for v, ok in zip(values, exact, strict=True)]
        return mixed_cells(letters, rows, texts, pa.array(shown, pa.string()), exact, "")
    if kind in ("date", "datetime", "time"):
        values = (overlay if overlay is not None else series).tolist()
        serials, shown = moment_serials(values, texts)
        style = f' s="{STYLE_OF[kind]}"'
        return mixed_cells(letters, rows, texts, serials, shown, style)
    return string_cells(letters, rows, texts)


def arrow(series: pd.Series) -> pa.Array:
    """A nullable pandas column (Int64, Float64, boolean) as an arrow array."""
    import pyarrow as pa

    return pa.array(series.array)


def excel_exact(texts: pa.Array) -> np.ndarray:
    """Whether each float's shortest form has at most 15 significant digits (Excel keeps
    15; a longer one would change when the workbook is saved again)."""
    import numpy as np
    import pyarrow.compute as pc

    mantissa = pc.replace_substring_regex(texts, r"e.*$", "")
    digits = pc.utf8_trim(pc.replace_substring_regex(mantissa, r"[-.]", ""), "0")
    # "1e+16": arrow reads no "+" as an integer, so the sign is left out of the group.
    exponent = pc.extract_regex(texts, r"e\+?(?P<e>-?[0-9]+)$")
    ok = pc.less_equal(pc.utf8_length(digits), 15)
    ok = pc.fill_null(ok, True)
    values = np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool).copy()
    if pc.any(pc.is_valid(exponent)).as_py():
        powers = pc.cast(pc.struct_field(exponent, [0]), "int64").to_numpy(zero_copy_only=False)
        with np.errstate(invalid="ignore"):
            values &= ~(np.nan_to_num(powers.astype(float), nan=0) > 300)
            values &= ~(np.nan_to_num(powers.astype(float), nan=0) < -300)
    return values


def excel_number(value: Any) -> bool:
    """Whether Excel holds the number exactly (an integer of at most 15 digits)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < 10**15
    return False


def excel_moment(value: Any) -> bool:
    """Whether Excel can show the date, datetime or time as such (1900-9999, no offset)."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.tzinfo is None and 1900 <= value.year <= 9999
    if isinstance(value, dt.date):
        return 1900 <= value.year <= 9999
    if isinstance(value, dt.time):
        return value.tzinfo is None
    return False


def excel_serial(value: Any) -> float:
    """Excel's serial of a date, naive datetime or time (1900 date system)."""
    import datetime as dt

    epoch = dt.datetime(1899, 12, 31)
    if isinstance(value, dt.datetime):
        delta = value - epoch
    elif isinstance(value, dt.date):
        delta = dt.datetime.fromordinal(value.toordinal()) - epoch
    else:
        delta = dt.datetime.combine(epoch, value) - epoch
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400
    return serial + 1 if serial > 59 else serial  # Excel's 29 February 1900


def moment_serials(values: list, texts: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(serial text or null, whether a date cell) of each date, datetime or time.

    The serials are computed from the ISO texts (vectorised) when every value is a date,
    datetime or time: a text in the naive form is a value Excel can show (within
    1900-9999), one with an offset is not. Any other value is decided in Python."""
    import datetime as dt

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    kinds = set(map(type, values))
    if kinds <= {dt.date, dt.datetime, dt.time, type(None)}:
        plain = pc.fill_null(
            pc.or_(
                pc.match_substring_regex(texts, DATE_RE2),
                pc.match_substring_regex(texts, DATETIME_RE2),
            ),
            False,
        )
        clock = pc.fill_null(pc.match_substring_regex(texts, TIME_RE2), False)
        aware = pc.fill_null(pc.match_substring_regex(texts, AWARE_RE2), False)
        known = pc.or_(pc.or_(plain, clock), pc.or_(aware, pc.is_null(texts)))
        if pc.all(known).as_py():
            year = pc.utf8_slice_codeunits(texts, 0, 4)
            within = pc.and_(pc.greater_equal(year, "1900"), pc.less_equal(year, "9999"))
            plain = pc.and_(plain, pc.fill_null(within, False))
            # A time is a moment on Excel's day 0 (1899-12-31).
            stamp = pc.if_else(clock, pc.binary_join_element_wise("1899-12-31T", texts, ""), texts)
            ok = pc.or_(plain, clock)
            stamp = pc.if_else(ok, stamp, pa.scalar("1970-01-01"))
            micros = pc.cast(pc.cast(stamp, pa.timestamp("us")), pa.int64())
            micros = micros.to_numpy(zero_copy_only=False) + EPOCH_DAYS * DAY_US
            days, rest = np.divmod(micros, DAY_US)
            seconds, fraction = np.divmod(rest, 1_000_000)
            # The same float operations as XlsxWriter (and excel_serial), in order.
            serial = (
                days.astype(np.float64)
                + (seconds.astype(np.float64) + fraction.astype(np.float64) / 1e6) / 86400
            )
            serial = np.where(serial > 59, serial + 1, serial)
            shown = np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)
            return pc.cast(pa.array(serial), pa.string()), shown
    # excel_moment is False for every marker of a missing value (None, NA, NaT, NaN).
    shown = np.array([excel_moment(v) for v in values], dtype=bool)
    serials = [repr(excel_serial(v)) if ok else None for v, ok in zip(values, shown, strict=True)]
    return pa.array(serials, pa.string()), shown


def mixed_cells(
    letters: str, rows: pa.Array, texts: pa.Array, shown: pa.Array, typed: Any, style: str
) -> pa.Array:
    """Typed cells (``shown`` as the value) where ``typed``, else the CSV's text as a
    string cell; nothing where the text is missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    typed = pa.array(typed, pa.bool_())
    if pc.all(typed).as_py():
        return typed_cells(letters, rows, shown, style)
    if not pc.any(typed).as_py():
        return string_cells(letters, rows, texts)
    numbers = typed_cells(letters, rows, pc.if_else(typed, shown, pa.scalar("0")), style)
    strings = string_cells(letters, rows, pc.if_else(typed, pa.scalar(""), texts))
    return pc.if_else(typed, numbers, strings)


def typed_cells(letters: str, rows: pa.Array, values: pa.Array, attributes: str) -> pa.Array:
    """``<c>`` elements holding ``values`` as they are (numbers, booleans, serials)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    head = pa.scalar(f'<c r="{letters}')
    joined = pc.binary_join_element_wise(
        head, rows, pa.scalar(f'"{attributes}><v>'), values, pa.scalar("</v></c>"), ""
    )
    return pc.fill_null(joined, "")


def string_cells(letters: str, rows: pa.Array, texts: pa.Array) -> pa.Array:
    """Inline string cells of ``texts``, escaped for XML."""
    import pyarrow as pa
    import pyarrow.compute as pc

    escaped = xml_texts(texts)
    edge = pc.fill_null(pc.match_substring_regex(escaped, EDGE_SPACE_RE2), False)
    open_t = pc.if_else(edge, pa.scalar('<t xml:space="preserve">'), pa.scalar("<t>"))
    joined = pc.binary_join_element_wise(
        pa.scalar(f'<c r="{letters}'),
        rows,
        pa.scalar('" t="inlineStr"><is>'),
        open_t,
        escaped,
        pa.scalar("</t></is></c>"),
        "",
    )
    return pc.fill_null(joined, "")


def xml_texts(texts: pa.Array) -> pa.Array:
    """``xml_text`` of every text of an arrow array (vectorised; nulls stay null)."""
    import pyarrow.compute as pc

    # One pass finds whether anything needs escaping at all (most columns: nothing).
    if not pc.any(pc.match_substring_regex(texts, SPECIAL_RE2)).as_py():
        return texts
    if pc.any(pc.match_substring_regex(texts, LITERAL_ESCAPE_RE2)).as_py():
        texts = pc.replace_substring_regex(texts, LITERAL_ESCAPE_RE2, r"_x005F\0")
    if pc.any(pc.match_substring_regex(texts, CONTROL_RE2)).as_py():
        for char in CONTROL_CHARS:
            texts = pc.replace_substring(texts, char, f"_x{ord(char):04X}_")
    if pc.any(pc.match_substring_regex(texts, "[&<>]")).as_py():
        texts = pc.replace_substring(texts, "&", "&amp;")
        texts = pc.replace_substring(texts, "<", "&lt;")
        texts = pc.replace_substring(texts, ">", "&gt;")
    return texts


def xml_text(text: str, attribute: bool = False) -> str:
    """One text as Excel stores it in XML: forbidden characters as ``_xHHHH_`` (a literal
    ``_xHHHH_`` as ``_x005F_xHHHH_``), ``&``, ``<``, ``>`` (and in an attribute ``"``)
    escaped."""
    text = LITERAL_ESCAPE.sub(r"_x005F\1", text)
    text = CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def inline(text: str) -> str:
    """The ``<is>`` of an inline string cell."""
    escaped = xml_text(text)
    space = ' xml:space="preserve"' if re.search(r"^\s|\s$", escaped) else ""
    return f"<is><t{space}>{escaped}</t></is>"


def safe_sheet_title(title: str) -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, no leading or trailing ``'``, not
    "History", at most 31 characters."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'")
    if cleaned.lower() == "history":  # reserved by Excel
        cleaned += "_"
    return cleaned[:31] or "data"
