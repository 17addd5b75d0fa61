"""Hostile data files: limits (columns, cells, rows, errors), files that are not text or not
in the declared encoding, delimiters other than declared, and reception schedules with every
kind of bad row. Each case asserts its exact outcome: error type, file, line/row and field.

The limits' defaults are MOLDIR's (1,000 columns, 1 MiB cells, 1,048,575 rows).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from moldir.features.kinds import kind_schema
from moldir.pipeline.limits import Limits

from .conftest import package, table

FILE = "datasets/case/data.csv"
TWO = [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}]


def errors_of(report, keys=("type", "file", "row", "field")) -> list[list]:
    return report.flatten(list(keys))


def only(report) -> list:
    """The single error of a report, as (type, file, row, field)."""
    rows = errors_of(report)
    assert len(rows) == 1, rows
    return rows[0]


# The child reports its own peak (VmHWM of its memory map): wait4's ru_maxrss would count
# the memory of this test process too, which the child inherits until it execs.
REPORT_PEAK = """
import atexit, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("\\nPEAK_KIB " + line.split()[1] + "\\n")
atexit.register(peak)
from moldir.cli import main
main(["validate"])
"""


def validate_in_child(project_root: Path) -> tuple[int, str, float, int]:
    """``moldir validate`` as a separate process: (exit code, output, seconds, peak memory
    in MiB of that process alone, as the process itself saw it)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", REPORT_PEAK],
        cwd=project_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "MOLDIR_NO_CACHE": "1"},
    )
    output = child.stdout.read().decode()
    _pid, status, _usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    output, _, peak = output.rpartition("\nPEAK_KIB ")
    assert peak.strip().isdigit(), output  # the child must have reported its peak
    return os.waitstatus_to_exitcode(status), output, seconds, int(peak) // 1024


# --- limits ------------------------------------------------------------------------------


def test_a_100000_column_header_is_refused_quickly_in_bounded_memory(project):
    header = ",".join(f"c{i}" for i in range(100_000))  # one line of ~590 KB
    project.dataset(
        "case",
        package([{"name": "data", "path": "data.csv"}]),
        {"data.csv": header + "\n" + ",".join("1" for _ in range(100_000)) + "\n"},
    )
    code, output, seconds, peak = validate_in_child(project.root)
    assert code == 1, output
    assert "Traceback" not in output
    assert f"{FILE}, row 1: [too-many-columns] the header has 100,000 columns" in output
    # Before the raw pre-check: 3 min 45 s and 1.9 GB (docs/security.md, "Limits").
    assert seconds < 30, seconds
    assert peak < 400, peak


def test_a_50_mb_header_without_a_line_break_is_refused_in_bounded_memory(project):
    folder = project.dataset("case", package([{"name": "data", "path": "data.csv"}]))
    label = b"x" * 499 + b","  # 100,000 labels of 500 bytes, and no line break at all
    with open(folder / "data.csv", "wb") as handle:
        for _ in range(100):
            handle.write(label * 1000)
    assert (folder / "data.csv").stat().st_size == 50_000_000
    code, output, seconds, peak = validate_in_child(project.root)
    assert code == 1, output
    assert f"{FILE}, row 1: [too-many-columns] the header has 100,001 columns" in output
    assert seconds < 30, seconds  # > 15 minutes before
    assert peak < 400, peak


def test_a_data_line_of_100000_cells_is_refused_by_line(project):
    project.dataset(
        "case",
        package([table(fields=TWO)]),
        {"data.csv": "id,text\n1,a\n" + ",".join("2" for _ in range(100_000)) + "\n"},
    )
    report = project.validate()
    assert only(report) == ["too-many-columns", FILE, 3, None]
    assert "line 3 has 100,000 columns; the limit is 1,000" in report.errors[0].message


def test_commas_inside_a_quoted_cell_are_not_columns(project):
    many = ",".join(str(i) for i in range(3_000))  # 2,999 commas, all inside quotes
    project.dataset("case", package([table(fields=TWO)]), {"data.csv": f'id,text\n1,"{many}"\n'})
    assert project.validate().valid


def test_a_5_mb_cell_is_refused_naming_its_line_and_field(project):
    project.dataset(
        "case",
        package([table(fields=TWO)]),
        {"data.csv": "id,text\n1,short\n2," + "x" * 5_000_000 + "\n"},
    )
    report = project.validate()
    assert only(report) == ["cell-too-large", FILE, 3, "text"]
    assert "a cell of 5,000,000 bytes; the limit is 1,048,576 bytes" in report.errors[0].message


def test_a_5_mb_quoted_cell_with_commas_and_line_breaks_is_refused_once_parsed(project):
    text = "word, and\nmore " * 350_000  # commas and line breaks inside the quotes
    project.dataset(
        "case", package([table(fields=TWO)]), {"data.csv": f'id,text\n1,short\n2,"{text}"\n'}
    )
    report = project.validate()
    assert only(report) == ["cell-too-large", FILE, 3, "text"]
    assert f"a cell of {len(text):,} bytes" in report.errors[0].message


def test_too_many_rows_are_refused_at_the_first_line_over_the_limit(project):
    limit = Limits().max_rows
    project.dataset(
        "case",
        package([table(fields=[{"name": "n", "type": "integer"}])]),
        {"data.csv": "n\n" + "1\n" * (limit + 2)},
    )
    report = project.validate()
    assert only(report) == ["too-many-rows", FILE, limit + 2, None]
    assert f"the file has {limit + 2:,} rows" in report.errors[0].message


def test_5000_bad_rows_list_1000_errors_and_count_the_rest(project):
    rows = "".join(f"{i},x{i}\n" for i in range(5_000))
    fields = [{"name": "n", "type": "integer"}, {"name": "v", "type": "integer"}]
    project.dataset("case", package([table(fields=fields)]), {"data.csv": "n,v\n" + rows})
    report = project.validate()
    task = report.task("case")
    assert len(task.listed) == 1_000
    assert (task.unlisted, task.error_count) == (4_000, 5_000)
    last = task.errors[-1]
    assert [last.type, last.file, last.row] == ["errors-not-listed", FILE, 1_001]
    assert "… and 4,000 more errors not listed (4,000 type-error)" in last.message
    assert report.to_descriptor()["stats"]["errors"] == 5_000


# --- not text, not the declared encoding -------------------------------------------------


def test_binary_garbage_is_not_csv_text(project):
    project.dataset("case", package([table()]), {"data.csv": os.urandom(200_000)})
    report = project.validate()
    assert only(report) == ["format-error", FILE, 1, None]
    assert "binary data, not CSV text" in report.errors[0].message


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200 + b"[Content_Types].xml", "ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "old Microsoft Office file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"<!DOCTYPE html>\n<html><body>404 Not Found</body></html>\n", "HTML page"),
    ],
)
def test_a_workbook_archive_or_page_named_csv_is_refused(project, content, what):
    project.dataset("case", package([table()]), {"data.csv": content})
    report = project.validate()
    assert only(report) == ["format-error", FILE, 1, None]
    assert what in report.errors[0].message


def test_a_utf16_file_is_named_as_such(project):
    project.dataset("case", package([table()]), {"data.csv": "text\nПривет\n".encode("utf-16")})
    report = project.validate()
    assert only(report) == ["encoding-error", FILE, 1, None]
    assert "UTF-16" in report.errors[0].message
    assert '"encoding": "utf-16"' in report.errors[0].note


def test_a_utf16_file_declared_utf16_is_valid(project):
    project.dataset(
        "case", package([table(encoding="utf-16")]), {"data.csv": "text\nПривет\n".encode("utf-16")}
    )
    assert project.validate().valid


def test_a_utf8_byte_order_mark_is_accepted(project):
    project.dataset(
        "case",
        package([table(fields=TWO)]),
        {"data.csv": b"\xef\xbb\xbf" + "id,text\n1,Алия\n".encode()},
    )
    assert project.validate().valid


def test_utf8_declared_cp1251_would_publish_mojibake_and_is_an_error(project):
    project.dataset(
        "case",
        package([table(fields=TWO, encoding="cp1251")]),
        {"data.csv": "id,text\n1,plain\n2,Алия Астана\n".encode()},
    )
    report = project.validate()
    assert only(report) == ["encoding-error", FILE, 3, None]
    error = report.errors[0]
    assert 'declared "cp1251" but is UTF-8 text' in error.message
    assert "Алия Астана" in error.note and "РђР»РёСЏ" in error.note
    assert error.note.endswith('declare "encoding": "utf-8"')


def test_a_cp1251_file_declared_nothing_gets_a_located_error_and_a_hint(project):
    content = "id,text\n1,plain\n2,Из них в срок\n".encode("cp1251")
    project.dataset("case", package([table(fields=TWO)]), {"data.csv": content})
    report = project.validate()
    assert only(report) == ["encoding-error", FILE, 3, None]
    error = report.errors[0]
    offset = content.index(b"\xc8")
    assert f"byte 0xC8 at byte offset {offset:,} of the file" in error.message
    assert "Windows-1251" in error.note and '"encoding": "cp1251"' in error.note


def test_a_kazakh_kz1048_file_is_recognised(project):
    content = "id,text\n1,Қарағанды облысы\n".encode("kz1048")
    project.dataset("case", package([table(fields=TWO)]), {"data.csv": content})
    report = project.validate()
    assert only(report) == ["encoding-error", FILE, 2, None]
    assert '"encoding": "kz1048"' in report.errors[0].note


def test_a_latin1_file_gets_a_latin1_hint(project):
    project.dataset(
        "case",
        package([table(fields=TWO)]),
        {"data.csv": "id,text\n1,José Zürich\n".encode("latin-1")},
    )
    report = project.validate()
    assert only(report) == ["encoding-error", FILE, 2, None]
    assert '"encoding": "latin-1"' in report.errors[0].note


def test_ascii_declared_cp1251_and_cp1251_declared_cp1251_are_valid(project):
    project.dataset(
        "case",
        package([table(fields=TWO, encoding="cp1251")]),
        {"data.csv": "id,text\n1,plain ascii\n2,Алия\n".encode("cp1251")},
    )
    project.dataset(
        "ascii",
        package([table(fields=TWO, encoding="cp1251")]),
        {"data.csv": b"id,text\n1,plain ascii\n"},
    )
    assert project.validate().valid


def test_nul_bytes_in_text_are_refused_by_line(project):
    project.dataset(
        "case", package([table(fields=TWO)]), {"data.csv": b"id,text\n1,fine\n2,bro\x00ken\n"}
    )
    report = project.validate()
    assert ["format-error", FILE, 3, None] in errors_of(report)
    assert "line 3 has a NUL character" in report.task("case").errors[0].message


def test_mixed_line_endings_are_read_as_three_rows_and_build(project):
    project.dataset(
        "case", package([table(fields=TWO)]), {"data.csv": b"id,text\r\n1,a\n2,b\r3,c\r\n"}
    )
    report = project.validate()
    assert report.valid
    assert report.task("case").stats["rows"] == 3
    outcome = project.build()
    assert outcome.built
    published = (outcome.output / "datasets" / "case" / "data.csv").read_text()
    assert published.splitlines() == ["id,text", "1,a", "2,b", "3,c"]


# --- delimiters --------------------------------------------------------------------------


def test_an_undeclared_semicolon_file_without_schema_is_an_error_with_a_hint(project):
    project.dataset(
        "case",
        package([{"name": "data", "path": "data.csv"}]),
        {"data.csv": "body;count;year\nAkimat;12;2024\nMaslikhat;7;2024\n"},
    )
    report = project.validate()
    error = report.task("case").errors[0]
    assert only(report) == ["dialect-error", FILE, None, None]
    assert error.line == 1
    assert "split into 3 columns" in error.message
    assert 'declare "dialect": {"delimiter": ";"} on resource "data"' in error.note


def test_an_undeclared_semicolon_file_with_a_schema_gets_the_hint_on_its_first_error(project):
    fields = [{"name": "body", "type": "string"}, {"name": "count", "type": "integer"}]
    project.dataset(
        "case",
        package([table(fields=fields)]),
        {"data.csv": "body;count\nAkimat;12\nMaslikhat;7\n"},
    )
    errors = project.validate().task("case").errors
    hinted = [e for e in errors if '"delimiter": ";"' in e.note]
    assert len(hinted) == 1 and hinted[0] is errors[0]
    assert [hinted[0].file, hinted[0].line] == [FILE, 1]


def test_a_quoted_comma_in_a_semicolon_header_still_points_at_semicolons(project):
    # Read with ",", every line has two columns (the quoted label's comma, the decimal
    # commas): Frictionless alone would pass it; ";" gives three columns on every line.
    content = 'Район;"Из них в срок, %";Всего\nАлматы;95,5;100\nАстана;97,1;120\n'
    project.dataset("case", package([{"name": "data", "path": "data.csv"}]), {"data.csv": content})
    report = project.validate()
    assert only(report) == ["dialect-error", FILE, None, None]
    error = report.errors[0]
    assert "read as 2 columns" in error.message and "3 columns" in error.message
    assert '"dialect": {"delimiter": ";"}' in error.note


def test_a_comma_file_declared_semicolon_gets_a_comma_hint(project):
    project.dataset(
        "case",
        package([table(fields=TWO, dialect={"delimiter": ";"})]),
        {"data.csv": "id,text\n1,a\n2,b\n"},
    )
    errors = project.validate().task("case").errors
    assert '"dialect": {"delimiter": ","}' in errors[0].note


@pytest.mark.parametrize(
    ("dialect", "option", "given"),
    [
        ({"delimiter": ";;"}, "delimiter", '";;"'),
        ({"quoteChar": ""}, "quoteChar", '""'),
    ],
)
def test_a_dialect_the_csv_reader_refuses_is_located_in_the_descriptor(
    project, dialect, option, given
):
    folder = project.dataset(
        "case", package([table(fields=TWO, dialect=dialect)]), {"data.csv": "id,text\n1,a\n"}
    )
    report = project.validate()
    assert only(report) == ["dialect-error", "datasets/case/datapackage.json", None, None]
    error = report.errors[0]
    text = (folder / "datapackage.json").read_text().splitlines()
    assert f'"{option}"' in text[error.line - 1]
    assert f'the dialect\'s "{option}" must be one character ({given} is given)' in error.message


# --- reception schedules -----------------------------------------------------------------

RECEPTION_FIELDS = kind_schema("reception-schedule")["fields"]
GOOD = {
    "body": "Ministry of Labour",
    "position": "Minister",
    "rrule": "FREQ=MONTHLY;BYDAY=-1WE",
    "start_time": "10:00",
    "end_time": "12:00",
    "timezone": "Asia/Almaty",
    "format": "in-person",
    "booking_url": "https://example.kz/book",
}


def schedule(project, rows: list[dict[str, str]]) -> None:
    names = [field["name"] for field in RECEPTION_FIELDS]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in names})
    project.dataset(
        "receptions",
        package([table(fields=RECEPTION_FIELDS)], kind="reception-schedule", topic="receptions"),
        {"data.csv": buffer.getvalue()},
    )


def test_five_different_bad_schedule_rows_give_five_errors_in_one_run(project):
    schedule(
        project,
        [
            GOOD,
            {**GOOD, "start_time": "25:00"},  # a type error (Frictionless)
            {**GOOD, "timezone": "Mars/Olympus"},  # no such time zone
            {**GOOD, "start_time": "12:00", "end_time": "10:00"},  # ends before it starts
            {**GOOD, "rrule": "FREQ=MONTHLY;BYMONTHDAY=40"},  # no 40th day
            {**GOOD, "booking_url": "javascript:alert(1)"},  # not a link to publish
        ],
    )
    rows = errors_of(project.validate())
    shown = "datasets/receptions/data.csv"
    assert rows == [
        ["type-error", shown, 3, "start_time"],
        ["schedule-error", shown, 4, "timezone"],
        ["schedule-error", shown, 5, "end_time"],
        ["schedule-error", shown, 6, "rrule"],
        ["schedule-error", shown, 7, "booking_url"],
    ]


@pytest.mark.parametrize(
    ("link", "kind"),
    [
        ("javascript:alert(1)", "schedule-error"),
        ("data:text/html,<script>1</script>", "schedule-error"),
        ("vbscript:msgbox(1)", "schedule-error"),
        # Not a URI at all: Frictionless's "uri" format rejects it first (one error).
        ("java\tscript:x", "type-error"),
        ("/relative", "type-error"),
    ],
)
def test_booking_links_that_are_not_https_http_or_mailto_are_refused_once(project, link, kind):
    schedule(project, [GOOD, {**GOOD, "booking_url": link}])
    rows = errors_of(project.validate())
    assert rows == [[kind, "datasets/receptions/data.csv", 3, "booking_url"]]


def test_a_mailto_booking_link_is_valid(project):
    schedule(project, [GOOD, {**GOOD, "booking_url": "mailto:priemnaya@example.kz"}])
    assert project.validate().valid


def test_settings_limits_are_used_by_the_command(project):
    conf = project.root / "pelicanconf.py"
    conf.write_text(conf.read_text() + "\nMOLDIR = {**MOLDIR, 'max_columns': 3, 'max_rows': 2}\n")
    project.dataset(
        "case", package([{"name": "data", "path": "data.csv"}]), {"data.csv": "a,b,c,d\n1,2,3,4\n"}
    )
    code, output, _seconds, _peak = validate_in_child(project.root)
    assert code == 1
    assert "the header has 4 columns; the limit is 3" in output


def test_the_descriptor_is_never_blamed_for_the_data_file(project):
    """Every raw-file error names the data file (and a line), never datapackage.json."""
    project.dataset("case", package([table()]), {"data.csv": "text\nnaïve\n".encode("cp1252")})
    (error,) = project.validate().errors
    assert error.file == FILE and error.line == 2
    assert json.dumps(error.to_descriptor())  # plain JSON for the published report
