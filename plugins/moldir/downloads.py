"""Downloads: each resource as CSV, JSON and XLSX, the published descriptor, and a zip.

Every function here turns typed tables into bytes; nothing touches the disk, so the
files can be planned, hashed and described (datapackage.json, DCAT) before anything is
written. ``write_downloads`` in the build stage writes them.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .datasets import Dataset

# pandas, XlsxWriter and .tables (pandas) are imported where files are written, so that
# ``moldir validate`` (which imports ``Download`` through the portal) does not load them.
if TYPE_CHECKING:
    import pandas as pd

MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "datapackage": "application/json",
}
# Fixed timestamp inside zip entries so the same data always gives the same archive.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Download:
    """A file a data user can download, at ``datasets/<slug>/<filename>``."""

    dataset: str
    filename: str
    format: str
    content: bytes
    resource: str | None = None

    @property
    def path(self) -> str:
        return f"datasets/{self.dataset}/{self.filename}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def bytes(self) -> int:
        return len(self.content)

    @functools.cached_property
    def sha256(self) -> str:
        # Computed once: every catalogue asks for it, and big downloads take a while.
        return hashlib.sha256(self.content).hexdigest()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8, comma-separated, LF line ends; missing cells empty."""
    text = frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return text.encode("utf-8")


def json_bytes(frame: pd.DataFrame) -> bytes:
    """A JSON array with one row object per line: readable, and written by json's C
    encoder (``indent`` would switch to the pure-Python one, ~3× slower on big tables)."""
    from .tables import records

    lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in records(frame))
    return f"[\n{lines}\n]\n".encode() if lines else b"[]\n"


def xlsx_bytes(frame: pd.DataFrame, sheet_title: str) -> bytes:
    """A workbook with typed cells: numbers as numbers, dates as dates, text as text.

    Text is always stored as a string cell, so a value such as ``=HYPERLINK(...)`` is shown,
    never run as a formula. XlsxWriter's ``constant_memory`` mode flushes each row as it is
    written: a 1,000,000-row table neither holds every cell in memory nor takes minutes
    (about twice as fast as openpyxl's write-only mode on the benchmark's table).
    """
    import pandas as pd
    import xlsxwriter

    from .tables import json_value

    buffer = io.BytesIO()
    options = {"constant_memory": True, "nan_inf_to_errors": True, "remove_timezone": True}
    workbook = xlsxwriter.Workbook(buffer, options)
    sheet = workbook.add_worksheet(safe_sheet_title(sheet_title))
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.freeze_panes(1, 0)  # the header stays visible while scrolling
    for column, name in enumerate(frame.columns):
        sheet.write_string(0, column, str(name), bold)
    for number, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for column, value in enumerate(row):
            if value is pd.NaT:
                continue  # a missing date (NaT is also a datetime)
            if isinstance(value, dt.datetime):
                sheet.write_datetime(number, column, value, moment)
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(number, column, value, day)
                continue
            value = json_value(value)
            if value is None:
                continue  # missing stays an empty cell, never 0
            if isinstance(value, bool):
                sheet.write_boolean(number, column, value)
            elif isinstance(value, int | float):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, str(value))
    workbook.close()
    return reproducible_xlsx(buffer.getvalue())


def safe_sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "data"


# XLSX writers stamp the save time into docProps/core.xml and into every zip entry, so the
# same table gave a different file (and sha256 in the catalogues) on every build.
XLSX_TIMES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def reproducible_xlsx(workbook: bytes) -> bytes:
    """The workbook without save times: the same data always gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["docProps/core.xml"] = XLSX_TIMES.sub(b"", files["docProps/core.xml"])
    return zip_bytes(files)


def published_descriptor(dataset: Dataset, csv_files: dict[str, Download]) -> dict[str, Any]:
    """The descriptor as published: resources point at the UTF-8 CSV downloads, with
    ``bytes`` and ``hash`` so that a data user can check what they fetched."""
    descriptor = copy.deepcopy(dataset.descriptor)
    descriptor["name"] = dataset.slug
    for resource in descriptor["resources"]:
        download = csv_files[resource["name"]]
        for key in ("dialect", "encoding", "compression"):
            resource.pop(key, None)
        resource.update(
            {
                "path": download.filename,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": download.bytes,
                "hash": f"sha256:{download.sha256}",
            }
        )
        # The published CSV writes numbers plainly, whatever the source's separators.
        for field in resource.get("schema", {}).get("fields", []):
            for key in ("decimalChar", "groupChar", "bareNumber"):
                field.pop(key, None)
        schema = resource.get("schema", {})
        if schema.get("missingValues") not in (None, [""]):
            schema["missingValues"] = [""]
    return descriptor


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def plan_downloads(dataset: Dataset, tables: dict[str, pd.DataFrame]) -> list[Download]:
    """Every download of a dataset: per resource CSV, JSON, XLSX; datapackage.json; zip."""
    slug = dataset.slug
    downloads: list[Download] = []
    csv_files: dict[str, Download] = {}
    for resource in dataset.resources:
        frame = tables[resource.name]
        csv_file = Download(slug, f"{resource.name}.csv", "csv", csv_bytes(frame), resource.name)
        csv_files[resource.name] = csv_file
        downloads += [
            csv_file,
            Download(slug, f"{resource.name}.json", "json", json_bytes(frame), resource.name),
            Download(
                slug,
                f"{resource.name}.xlsx",
                "xlsx",
                xlsx_bytes(frame, resource.name),
                resource.name,
            ),
        ]
    descriptor = published_descriptor(dataset, csv_files)
    descriptor_bytes = json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")
    package = Download(slug, "datapackage.json", "datapackage", descriptor_bytes)
    archive = zip_bytes(
        {
            f"{slug}/datapackage.json": descriptor_bytes,
            **{f"{slug}/{d.filename}": d.content for d in csv_files.values()},
        }
    )
    return [*downloads, package, Download(slug, f"{slug}.zip", "zip", archive)]
