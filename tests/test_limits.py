"""The raw pre-check of data files (plugins/moldir/pipeline/limits.py), the error-limit count
(fastcheck) and how reports and the command show them."""

from __future__ import annotations

import copy
import csv
import io
import random
from pathlib import Path

import frictionless
import pytest
from frictionless import Checklist

from moldir.model.report import DatasetReport, Report, ValidationError
from moldir.model.report_formats import format_text
from moldir.model.settings import MoldirSettings
from moldir.pipeline import fastcheck, limits
from moldir.pipeline.limits import Limits, scan_file
from moldir.pipeline.validate import FormulaCells

SMALL = Limits(max_columns=5, max_cell_bytes=20, max_rows=10)


def scan(tmp_path: Path, data: bytes, lims: Limits = SMALL, **options) -> list[tuple]:
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    result = scan_file(str(path), lims, **options)
    return [
        (error.type, error.row_number, getattr(error, "field_name", None))
        for error in result.errors
    ]


@pytest.fixture(params=[4 * 1024 * 1024, 7, 1], ids=["block-4MiB", "block-7", "block-1"])
def blocks(request, monkeypatch):
    """Every scan runs with tiny blocks too: lines, cells, quotes and multi-byte characters
    cut between blocks must give the same result."""
    monkeypatch.setattr(limits, "BLOCK_BYTES", request.param)
    monkeypatch.setattr(limits, "RECORD_READ_BYTES", max(request.param, 3))
    return request.param


def test_limits_come_from_the_settings():
    assert Limits.from_settings(MoldirSettings()) == Limits()
    assert Limits.from_settings(MoldirSettings(max_columns=3)).max_columns == 3
    assert Limits() == Limits(max_columns=1_000, max_cell_bytes=1024 * 1024, max_rows=5_000_000)


def test_a_valid_file_has_no_problem(tmp_path, blocks):
    assert scan(tmp_path, b'a,b,c\n1,2,3\r\n4,"x,y,z,w,v",6\n') == []


def test_columns_are_counted_per_line_outside_quotes(tmp_path, blocks):
    assert scan(tmp_path, b"a,b\n1,2\n1,2,3,4,5,6\n") == [("too-many-columns", 3, None)]
    assert scan(tmp_path, b'a,b\n1,"2,3,4,5,6,7"\n') == []
    assert scan(tmp_path, b"a,b,c,d,e,f\n") == [("too-many-columns", 1, None)]


def test_a_line_inside_a_quoted_cell_is_not_a_record(tmp_path, blocks):
    # Line 3 has 7 commas, all inside the cell that line 2 opened: 2 columns, as csv reads.
    assert scan(tmp_path, b'a,b\n1,"first\n1,2,3,4,5,6,7,8"\n2,x\n') == []
    assert scan(tmp_path, b'a,b\n1,"first""\n1,2,3,4,5,6,7,8"\n') == []
    # Closed on its line: the next line is a record of its own, counted.
    assert scan(tmp_path, b'a,b\n1,"x"\n1,2,3,4,5,"6"\n') == [("too-many-columns", 3, None)]


def test_the_header_without_a_line_break_is_counted(tmp_path, blocks):
    (error,) = limits.scan_file(str(write(tmp_path, b"x," * 40)), SMALL).errors
    assert error.type == "too-many-columns"
    assert error.message.startswith("the header has 41 columns; the limit is 5")


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    return path


def test_a_cell_over_the_limit_is_located_by_line_and_field(tmp_path, blocks):
    data = b"a,b,c\n1,2,3\n4,5," + b"z" * 30 + b"\n"
    assert scan(tmp_path, data, names=["a", "b", "c"]) == [("cell-too-large", 3, "c")]
    (error,) = scan_file(str(write(tmp_path, data)), SMALL, names=["a", "b", "c"]).errors
    assert error.message.startswith('line 3, field 3 ("c"): a cell of 30 bytes')


def test_a_quoted_cell_is_measured_without_its_quotes(tmp_path, blocks):
    assert scan(tmp_path, b'a\n"' + b"y" * 20 + b'"\n') == []
    assert scan(tmp_path, b'a\n"' + b"y" * 21 + b'"\n')[0][0] == "cell-too-large"
    # 10 quotes in the text, doubled: 20 bytes of text written in 32.
    assert scan(tmp_path, b'a\n"' + b'y""' * 10 + b'"\n') == []


def test_rows_are_lines_after_the_header(tmp_path, blocks):
    assert scan(tmp_path, b"a\n" + b"1\n" * 10) == []
    assert scan(tmp_path, b"a\n" + b"1\n" * 11) == [("too-many-rows", 12, None)]
    # Old Mac line endings (a lone CR) are lines too.
    assert scan(tmp_path, b"a\r" + b"1\r" * 11) == [("too-many-rows", 12, None)]
    assert scan(tmp_path, b"a\r\n" + b"1\r\n" * 10) == []


def test_a_file_without_header_counts_every_line(tmp_path, blocks):
    assert scan(tmp_path, b"1\n" * 11, header=False) == [("too-many-rows", 11, None)]


def test_an_undecodable_byte_is_located_by_line_and_offset(tmp_path, blocks):
    data = "id,name\n1,Алия\n2,".encode() + "Бота".encode("cp1251") + b"\n"
    path = write(tmp_path, data)
    (error,) = scan_file(str(path), Limits(), encoding="utf-8").errors
    assert (error.type, error.row_number) == ("encoding-error", 3)
    offset = data.index("Бота".encode("cp1251"))
    assert f"byte 0xC1 at byte offset {offset:,} of the file" in error.message


def test_a_truncated_utf8_sequence_at_the_end_is_an_error(tmp_path, blocks):
    (error,) = scan_file(str(write(tmp_path, "a\nАлия".encode()[:-1])), Limits(), "utf-8").errors
    assert (error.type, error.row_number) == ("encoding-error", 2)


def test_utf8_declared_in_a_single_byte_encoding_is_flagged_only_with_letters(tmp_path, blocks):
    assert scan(tmp_path, "a\nАлия\n".encode(), Limits(), encoding="cp1251") == [
        ("encoding-error", 2, None)
    ]
    assert scan(tmp_path, b"a\nplain ascii\n", Limits(), encoding="cp1251") == []
    assert scan(tmp_path, "a\nАлия\n".encode("cp1251"), Limits(), encoding="cp1251") == []
    assert scan(tmp_path, "a\n→ ✓\n".encode(), Limits(), encoding="latin-1") == []


def test_nul_characters_are_located(tmp_path, blocks):
    assert scan(tmp_path, b"a,b\n1,2\n3,\x004\n", Limits()) == [("format-error", 3, None)]


def test_an_unknown_encoding_is_left_to_frictionless(tmp_path):
    assert scan(tmp_path, b"a\n1\n", Limits(), encoding="no-such-codec") == []


def test_utf16_declared_is_scanned_through_a_utf8_copy(tmp_path, blocks):
    data = ("a,b,c,d,e,f\n" + "1,2\n" * 3).encode("utf-16")
    assert scan(tmp_path, data, encoding="utf-16") == [("too-many-columns", 1, None)]


def reference_problems(data: bytes, lims: Limits) -> set[str]:
    """What Python's csv module says about the same bytes (no quotes across lines)."""
    found = set()
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    if any(len(row) > lims.max_columns for row in rows):
        found.add("too-many-columns")
    if any(len(cell.encode()) > lims.max_cell_bytes for row in rows for cell in row):
        found.add("cell-too-large")
    if len(rows) - 1 > lims.max_rows:
        found.add("too-many-rows")
    return found


@pytest.mark.parametrize("seed", range(30))
def test_the_scan_agrees_with_a_csv_reader_on_random_files(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.setattr(limits, "BLOCK_BYTES", rng.choice([1, 3, 16, 4096]))
    lines = []
    for _ in range(rng.randint(1, 14)):
        cells = []
        for _ in range(rng.randint(1, 7)):
            text = "".join(rng.choice("ab ,;ж") for _ in range(rng.randint(0, 26)))
            cells.append(f'"{text}"' if ("," in text or rng.random() < 0.3) else text)
        lines.append(",".join(cells))
    data = ("\n".join(lines) + rng.choice(["", "\n"])).encode()
    path = write(tmp_path, data)
    found = {error.type for error in scan_file(str(path), SMALL, encoding="utf-8").errors}
    expected = reference_problems(data, SMALL)
    # The raw scan finds every column and row problem, and never a false one; a quoted
    # cell over the limit that holds delimiters is left to the parsed-cell check.
    assert found - {"cell-too-large"} == expected - {"cell-too-large"}
    assert found & {"cell-too-large"} <= expected


@pytest.mark.parametrize("seed", range(30))
def test_columns_agree_with_a_csv_reader_when_cells_span_lines(tmp_path, monkeypatch, seed):
    rng = random.Random(1000 + seed)
    monkeypatch.setattr(limits, "BLOCK_BYTES", rng.choice([1, 5, 64, 4096]))
    records = []
    for _ in range(rng.randint(1, 10)):
        cells = []
        for _ in range(rng.randint(1, 7)):
            text = "".join(rng.choice("ab,\n") for _ in range(rng.randint(0, 20)))
            cells.append(
                f'"{text}"' if rng.random() < 0.5 else text.replace(",", "").replace("\n", "")
            )
        records.append(",".join(cells))
    data = ("\n".join(records) + "\n").encode()
    path = write(tmp_path, data)
    found = {e.type for e in scan_file(str(path), Limits(max_columns=5), encoding="utf-8").errors}
    wide = any(len(row) > 5 for row in csv.reader(io.StringIO(data.decode(), newline="")))
    assert ("too-many-columns" in found) == wide


# --- the error limit ---------------------------------------------------------------------


def bad_rows(tmp_path: Path, rows: int) -> dict:
    # Every row has a type error; every fourth also misses its last cell.
    lines = "".join(f"{i},x{i}" + (",w\n" if i % 4 else "\n") for i in range(rows))
    (tmp_path / "t.csv").write_text("n,v,w\n" + lines)
    return {
        "name": "t",
        "path": "t.csv",
        "format": "csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": "n", "type": "integer"},
                {"name": "v", "type": "integer"},
                {"name": "w", "type": "string"},
            ]
        },
    }


def not_listed(descriptor: dict, basepath: Path, limit: int):
    resource = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath))
    report = fastcheck.validate_resource(resource, Checklist(checks=[FormulaCells()]), limit)
    errors = report.tasks[0].errors
    return errors[-1], errors[:-1]


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "frictionless"])
def test_a_cut_report_counts_the_errors_not_listed_by_type(tmp_path, monkeypatch, fast):
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 0 if fast else 1 << 40)
    descriptor = bad_rows(tmp_path, 3_000)
    marker, listed = not_listed(descriptor, tmp_path, 100)
    assert len(listed) == 100
    assert marker.type == "errors-not-listed"
    # 3,000 type errors and 750 missing cells in all.
    types = [error.type for error in listed]
    left = (3_000 - types.count("type-error"), 750 - types.count("missing-cell"))
    assert sum(left) == 3_650
    assert marker.message.startswith(
        f"… and 3,650 more errors not listed ({left[0]:,} type-error, {left[1]:,} missing-cell)"
    )
    assert marker.row_number == listed[-1].row_number


def test_both_paths_count_the_same(tmp_path, monkeypatch):
    descriptor = bad_rows(tmp_path, 2_000)
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 0)
    fast, _ = not_listed(descriptor, tmp_path, 50)
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 1 << 40)
    slow, _ = not_listed(descriptor, tmp_path, 50)
    assert (fast.message, fast.row_number) == (slow.message, slow.row_number)


def test_counting_stops_after_its_time_and_says_at_least(tmp_path, monkeypatch):
    monkeypatch.setattr(fastcheck, "COUNT_SECONDS", 0.0)
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 1 << 40)
    marker, _ = not_listed(bad_rows(tmp_path, 500), tmp_path, 10)
    assert "at least" in marker.message and "counting stopped" in marker.message


@pytest.mark.parametrize("fast", [True, False], ids=["fast-path", "frictionless"])
def test_parsed_cells_over_the_limit_are_errors_on_both_paths(tmp_path, monkeypatch, fast):
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 0 if fast else 1 << 40)
    quoted = '"' + "a, b " * 10 + '"'  # 50 bytes, its longest run without comma is 3
    (tmp_path / "t.csv").write_text(f"n,text\n1,short\n2,{quoted}\n" + "3,x\n" * 50)
    descriptor = {
        "name": "t",
        "path": "t.csv",
        "format": "csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [{"name": "n", "type": "integer"}, {"name": "text", "type": "string"}]
        },
    }
    resource = frictionless.Resource(descriptor, basepath=str(tmp_path))
    report = fastcheck.validate_resource(
        resource, Checklist(checks=[FormulaCells()]), 1000, Limits(max_cell_bytes=40)
    )
    found = [(e.type, e.row_number, e.field_name) for e in report.tasks[0].errors]
    assert found == [("cell-too-large", 3, "text")]


def test_a_fatal_raw_problem_is_reported_without_parsing(tmp_path, monkeypatch):
    (tmp_path / "t.csv").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    resource = frictionless.Resource(
        {"name": "t", "path": "t.csv", "format": "csv", "encoding": "utf-8"},
        basepath=str(tmp_path),
    )

    def never(*_args, **_kwargs):
        raise AssertionError("a file that is not text must not be parsed")

    monkeypatch.setattr(fastcheck, "fast_validate", never)
    monkeypatch.setattr(frictionless.Resource, "validate", never)
    report = fastcheck.validate_resource(resource, Checklist(), 1000)
    assert [e.type for e in report.tasks[0].errors] == ["format-error"]


# --- the report and the command ----------------------------------------------------------


def test_the_report_counts_listed_and_unlisted_errors():
    listed = [
        ValidationError(type="type-error", message="m", dataset="d", row=n) for n in range(2, 5)
    ]
    marker = ValidationError(
        type="errors-not-listed",
        message="… and 4,000 more errors not listed (4,000 type-error): the error limit "
        "stopped the listing here",
        dataset="d",
        file="datasets/d/data.csv",
        row=4,
        note="4,000 type-error",
    )
    task = DatasetReport(dataset="d", place="datasets/d", errors=[*listed, marker])
    report = Report(tasks=[task])
    assert (task.unlisted, task.error_count, len(task.listed)) == (4_000, 4_003, 3)
    assert report.to_descriptor()["stats"]["errors"] == 4_003
    assert task.to_descriptor()["stats"]["unlisted"] == 4_000
    text = format_text(report)
    assert "✗ d: 4,003 errors (3 listed)" in text
    assert "datasets/d/data.csv, row 4: … and 4,000 more errors not listed" in text
    assert "4,003 errors (3 listed) in 1 of 1 datasets" in text


def test_hints_are_printed_on_their_own_line():
    error = ValidationError(
        type="encoding-error",
        message="line 2 cannot be read",
        dataset="d",
        file="datasets/d/data.csv",
        row=2,
        note='declare "encoding": "cp1251"',
    )
    text = format_text(Report(tasks=[DatasetReport("d", "datasets/d", [error])]))
    assert '\n    hint: declare "encoding": "cp1251"' in text
