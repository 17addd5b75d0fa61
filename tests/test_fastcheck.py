"""Differential tests: the fast path (fastcheck) against Frictionless itself.

Every test validates the same resource twice — with ``fastcheck`` and with
``frictionless.Resource.validate`` — and asserts identical errors (row, field, type, note, in
order) and stats. Generated files come from bench/generate.py with fixed seeds and planted
errors of every kind the fast path models.
"""

from __future__ import annotations

import codecs
import copy
import csv
import datetime as dt
import importlib.util
import io
import json
import random
import re
from pathlib import Path
from typing import Any

import frictionless
import pytest
from frictionless import Checklist

from moldir.pipeline import fastcheck
from moldir.pipeline.validate import FormulaCells

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


@pytest.fixture
def corpus() -> Path:
    """The vendored Frictionless fixtures (tests/fixtures/frictionless/), not ../shared."""
    return Path(__file__).resolve().parent / "fixtures" / "frictionless"


@pytest.fixture(autouse=True)
def fast_for_small_files(monkeypatch):
    # The fast path normally leaves small files to Frictionless; test it on small files.
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 0)


def checklist() -> Checklist:
    return Checklist(checks=[FormulaCells()])


def flat(report: frictionless.Report) -> list[tuple]:
    return [
        (
            getattr(error, "row_number", None),
            getattr(error, "field_number", None),
            getattr(error, "field_name", None),
            error.type,
            error.note,
        )
        for task in report.tasks
        for error in task.errors
        if error.type != "errors-not-listed"  # Moldir's count of the rest (test_limits.py)
    ]


def stats(report: frictionless.Report) -> list[dict]:
    keys = ("rows", "bytes", "sha256", "md5", "fields")
    return [{key: task.stats.get(key) for key in keys} for task in report.tasks]


def both(descriptor: dict, basepath: Path, limit_errors: int = 1000):
    """(fast report, Frictionless report, whether the fast path handled it)."""
    resource = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath))
    fast = fastcheck.validate_resource(resource, checklist(), limit_errors)
    probe = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath))
    try:
        handled = fastcheck.fast_validate(probe, checklist(), limit_errors) is not None
    except fastcheck.Unsupported:
        handled = False
    slow = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath)).validate(
        checklist=checklist(), limit_errors=limit_errors
    )
    return fast, slow, handled


def assert_same(descriptor: dict, basepath: Path, limit_errors: int = 1000) -> bool:
    fast, slow, handled = both(descriptor, basepath, limit_errors)
    assert flat(fast) == flat(slow)
    if not slow.tasks[0].warnings:  # stats of an interrupted run are partial in Frictionless
        assert stats(fast) == stats(slow)
    return handled


def flagged_rows(descriptor: dict, basepath: Path, monkeypatch) -> int:
    """How many rows the fast path left to Frictionless's Row (the rest it accepted)."""
    counted = []
    real = fastcheck.FastRun.merge

    def merge(self, scanned):
        counted.append(len(scanned[0]))
        return real(self, scanned)

    monkeypatch.setattr(fastcheck.FastRun, "merge", merge)
    resource = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath))
    fastcheck.fast_validate(resource, checklist(), 1000)
    monkeypatch.setattr(fastcheck.FastRun, "merge", real)
    return sum(counted)


def table_descriptor(path: str, schema: dict | None = None) -> dict:
    return {
        "name": "table",
        "path": path,
        "format": "csv",
        "encoding": "utf-8",
        "schema": copy.deepcopy(schema or generate.SCHEMA),
    }


# ----------------------------------------------------------------------------- fixtures


def fixture_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "frictionless-fixtures" / "data").glob("*.csv"))


def test_corpus_fixtures_with_inferred_schemas(corpus, tmp_path):
    # Each fixture with the schema Frictionless infers: whatever path handles it, the errors
    # must be Frictionless's (EXPECTED.md lists them for the defaults).
    compared = 0
    for path in fixture_files(corpus):
        try:
            described = frictionless.describe(str(path)).to_descriptor()
        except Exception:  # an unreadable fixture is Frictionless's business, not ours
            continue
        if "schema" not in described:
            continue
        descriptor = table_descriptor(path.name, described["schema"])
        descriptor["encoding"] = described.get("encoding", "utf-8")
        assert_same(descriptor, path.parent)
        compared += 1
    assert compared >= 20


def test_invalid_fixture_matches_expected_md(corpus):
    # EXPECTED.md, data/invalid.csv: the eight errors, the same through the fast entry point.
    data = corpus / "frictionless-fixtures" / "data"
    resource = frictionless.Resource("invalid.csv", basepath=str(data))
    report = fastcheck.validate_resource(resource, Checklist())
    assert report.flatten(["rowNumber", "fieldNumber", "type"]) == [
        [None, 3, "blank-label"],
        [None, 4, "duplicate-label"],
        [2, 3, "missing-cell"],
        [2, 4, "missing-cell"],
        [3, 3, "missing-cell"],
        [3, 4, "missing-cell"],
        [4, None, "blank-row"],
        [5, 5, "extra-cell"],
    ]


def test_unique_field_fixture_takes_the_fast_path(corpus, tmp_path):
    data = corpus / "frictionless-fixtures" / "data"
    schema = json.loads((data / "unique-field.json").read_text())
    (tmp_path / "unique-field.csv").write_bytes((data / "unique-field.csv").read_bytes())
    handled = assert_same(table_descriptor("unique-field.csv", schema), tmp_path)
    assert handled


# ----------------------------------------------------------------------------- generated


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_tables_with_planted_errors(tmp_path, seed):
    planted = generate.write_table(tmp_path / "t.csv", 3000, seed, planted=90)
    assert {kind for _, kind in planted} == set(generate.KINDS)
    assert assert_same(table_descriptor("t.csv"), tmp_path)


def test_generated_valid_table(tmp_path):
    generate.write_table(tmp_path / "t.csv", 5000, 7)
    fast, slow, handled = both(table_descriptor("t.csv"), tmp_path)
    assert handled and fast.valid and slow.valid
    assert stats(fast) == stats(slow)


def test_error_limit_is_emulated(tmp_path):
    generate.write_table(tmp_path / "t.csv", 3000, 4, planted=120)
    assert assert_same(table_descriptor("t.csv"), tmp_path, limit_errors=25)


def test_crlf_quotes_and_empty_lines(tmp_path):
    generate.write_table(tmp_path / "t.csv", 2000, 5, planted=30)
    lines = (tmp_path / "t.csv").read_text().split("\n")
    rng = random.Random(5)
    for index in rng.sample(range(5, len(lines) - 2), 10):
        lines[index] = ""  # empty lines are rows without cells (blank-row)
    for index in rng.sample(range(5, len(lines) - 2), 40):
        cells = lines[index].split(",")
        lines[index] = ",".join(f'"{cell}"' for cell in cells)  # quoted, still one line
    (tmp_path / "t.csv").write_bytes("\r\n".join(lines).encode())
    assert assert_same(table_descriptor("t.csv"), tmp_path)


def test_string_primary_key_and_composite_key(tmp_path):
    generate.write_table(tmp_path / "t.csv", 2000, 6, planted=40)
    schema = copy.deepcopy(generate.SCHEMA)
    schema["fields"][0]["constraints"] = {}
    schema["fields"][2]["constraints"]["unique"] = True
    schema["primaryKey"] = ["region", "code"]
    assert assert_same(table_descriptor("t.csv", schema), tmp_path)


def test_unsupported_things_go_to_frictionless(tmp_path):
    generate.write_table(tmp_path / "t.csv", 500, 8, planted=10)
    text = (tmp_path / "t.csv").read_text().split("\n")
    text[20] = 'a,"multi\nline",b'
    (tmp_path / "m.csv").write_text("\n".join(text))
    fast, slow, handled = both(table_descriptor("m.csv"), tmp_path)
    assert not handled and flat(fast) == flat(slow)
    schema = copy.deepcopy(generate.SCHEMA)
    schema["fields"][3]["format"] = "%d %B %Y"  # month names: not modelled
    fast, slow, handled = both(table_descriptor("t.csv", schema), tmp_path)
    assert not handled and flat(fast) == flat(slow)


def test_package_report_keeps_the_stats_the_pipeline_reads(tmp_path):
    generate.write_dataset(tmp_path, "big", 4000, 9)
    descriptor = json.loads((tmp_path / "big" / "datapackage.json").read_text())
    fast = fastcheck.validate_package(
        frictionless.Package(descriptor, basepath=str(tmp_path / "big")), checklist()
    )
    slow = frictionless.Package(descriptor, basepath=str(tmp_path / "big")).validate(
        checklist=checklist()
    )
    assert fast.valid and slow.valid
    assert stats(fast) == stats(slow)
    assert fast.tasks[0].stats["rows"] == 4000


def test_moldir_validation_goes_through_the_fast_path(tmp_path, monkeypatch):
    # validate_dataset (validation.py) on a dataset above the size threshold: same errors as
    # Frictionless with Moldir's checklist, located by row and field, and the row count.
    monkeypatch.setattr(fastcheck, "MIN_FAST_BYTES", 256 * 1024)
    from moldir.pipeline.validate import ValidationOptions, validate_dataset

    generate.write_dataset(tmp_path, "large", 6000, 11, planted=36)
    folder = tmp_path / "large"
    assert (folder / "data" / "large.csv").stat().st_size > 256 * 1024
    calls = []
    real = fastcheck.fast_validate
    monkeypatch.setattr(fastcheck, "fast_validate", lambda *a: calls.append(1) or real(*a))
    task, dataset = validate_dataset(folder, ValidationOptions())
    assert calls and dataset is None
    descriptor = json.loads((folder / "datapackage.json").read_text())
    slow = frictionless.Package(descriptor, basepath=str(folder)).validate(checklist=checklist())
    expected = [
        (e.row_number, getattr(e, "field_name", None) or None, e.type) for e in slow.tasks[0].errors
    ]
    assert [(e.row, e.field, e.type) for e in task.errors] == expected
    assert task.stats["rows"] == 6000


def test_many_small_blocks_on_two_threads(tmp_path, monkeypatch):
    # Blocks are scanned two at a time and merged in file order; small blocks make many.
    monkeypatch.setattr(fastcheck, "BLOCK_BYTES", 8192)
    generate.write_table(tmp_path / "t.csv", 3000, 12, planted=60)
    assert (tmp_path / "t.csv").stat().st_size > 20 * 8192
    assert assert_same(table_descriptor("t.csv"), tmp_path)
    assert assert_same(table_descriptor("t.csv"), tmp_path, limit_errors=30)


# ----------------------------------------------------------------------------- exports
# Kazakh and Russian exports: another encoding, ';', decimal commas, dd.mm.yyyy. Made from
# the generated tables (planted errors kept: an invalid date stays invalid, "1,5" becomes
# "1.5", which a decimal comma does not read).

CYRILLIC = dict(zip(generate.REGIONS, generate.REGIONS_RU, strict=True))


def export_cell(name: str, cell: str, options: dict) -> str:
    if name == "region":
        return CYRILLIC.get(cell, cell)
    if name == "amount" and options.get("decimal"):
        if re.fullmatch(r"-?[0-9]+\.[0-9]+", cell):
            whole, fraction = cell.split(".")
            group = options.get("group") or ""
            sign = "-" if whole.startswith("-") else ""
            digits = whole.lstrip("-")
            if group and len(digits) > 3:
                digits = f"{int(digits):,}".replace(",", group)
            return f"{sign}{digits}{options['decimal']}{fraction}"
        return cell.replace(",", ".")
    if name == "date" and options.get("date_format"):
        try:
            return dt.date.fromisoformat(cell).strftime(options["date_format"])
        except ValueError:
            return cell.replace("-", ".")  # an invalid date stays invalid
    return cell


def write_export(
    folder: Path,
    rows: int,
    seed: int,
    planted: int = 0,
    encoding: str = "cp1251",
    delimiter: str = ";",
    newline: str = "\r\n",
    **options: Any,
) -> Path:
    """A generated table rewritten as an export: ``encoding`` (a BOM for utf-8-sig),
    ``delimiter``, Cyrillic regions, and the number/date options as ``export_cell``'s."""
    source = folder / "source.csv"
    generate.write_table(source, rows, seed, planted=planted)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    names = [f["name"] for f in generate.FIELDS]
    with open(source, encoding="utf-8", newline="") as stream:
        for number, cells in enumerate(csv.reader(stream)):
            if number == 0 or not cells:
                writer.writerow(cells)
                continue
            writer.writerow(
                [export_cell(n, c, options) for n, c in zip(names, cells, strict=False)]
                + cells[len(names) :]
            )
    path = folder / "export.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def export_schema(**options: Any) -> dict:
    schema = copy.deepcopy(generate.SCHEMA)
    fields = {f["name"]: f for f in schema["fields"]}
    fields["region"]["constraints"]["enum"] = generate.REGIONS_RU
    if options.get("decimal"):
        fields["amount"]["decimalChar"] = options["decimal"]
    if options.get("group"):
        fields["amount"]["groupChar"] = options["group"]
    if options.get("date_format"):
        fields["date"]["format"] = options["date_format"]
        # Frictionless reads the bound with the field's format too
        minimum = dt.date(2000, 1, 1).strftime(options["date_format"])
        fields["date"]["constraints"] = {"minimum": minimum}
    return schema


def export_descriptor(encoding: str | None, delimiter: str | None = None, **options) -> dict:
    descriptor = table_descriptor("export.csv", export_schema(**options))
    if encoding is None:
        del descriptor["encoding"]  # Frictionless detects it
    else:
        descriptor["encoding"] = encoding
    if delimiter is not None:
        descriptor["dialect"] = {"delimiter": delimiter}
    return descriptor


@pytest.mark.parametrize(
    ("written", "declared"),
    [
        ("cp1251", "windows-1251"),
        ("cp1251", "cp1251"),
        ("koi8-r", "koi8-r"),
        ("utf-8-sig", "utf-8"),  # Frictionless reads a BOM file declared utf-8 as utf-8-sig
        ("utf-8-sig", "utf-8-sig"),
        ("utf-8", "utf-8-sig"),
    ],
)
def test_declared_encodings_take_the_fast_path(tmp_path, written, declared):
    write_export(tmp_path, 3000, 21, planted=90, encoding=written, delimiter=",", newline="\n")
    assert assert_same(export_descriptor(declared), tmp_path)


def test_latin1_declared(tmp_path):
    path = write_export(tmp_path, 2000, 22, planted=40, encoding="utf-8", delimiter=",")
    text = path.read_text(encoding="utf-8").replace("Name 1", "Námé 1").replace("ok", "ßø")
    text = text.replace("Астана", "Astana").replace("Алматы", "Almaty")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    descriptor = export_descriptor("latin-1")
    descriptor["schema"]["fields"][1]["constraints"]["enum"] = generate.REGIONS
    assert assert_same(descriptor, tmp_path)


def test_detected_encoding_is_the_one_decoded(tmp_path):
    # No declared encoding: Frictionless detects one from its first 10,000 bytes and
    # decodes the whole file with it; the fast path takes the same codec.
    write_export(tmp_path, 3000, 23, planted=60, encoding="cp1251", delimiter=",")
    assert assert_same(export_descriptor(None), tmp_path)
    resource = frictionless.Resource(export_descriptor(None), basepath=str(tmp_path))
    with resource:
        detected = resource.encoding
    assert fastcheck.stream_codec(detected) == codecs.lookup(detected).name != "utf-8"


def test_transcoded_blocks_and_duplicates_read_back(tmp_path, monkeypatch):
    # Small blocks: every block is transcoded on its own; duplicated keys point to rows that
    # were not flagged, read back from the file in its own encoding.
    monkeypatch.setattr(fastcheck, "BLOCK_BYTES", 8192)
    write_export(tmp_path, 3000, 24, planted=72, encoding="cp1251", delimiter=",")
    schema = export_schema()
    schema["fields"][1]["constraints"] = {}
    schema["primaryKey"] = ["region", "id"]
    descriptor = export_descriptor("windows-1251")
    descriptor["schema"] = schema
    assert assert_same(descriptor, tmp_path)
    assert assert_same(descriptor, tmp_path, limit_errors=30)


def test_encodings_the_fast_path_cannot_stream_go_to_frictionless(tmp_path):
    write_export(tmp_path, 800, 25, planted=20, encoding="utf-16", delimiter=",")
    fast, slow, handled = both(export_descriptor("utf-16"), tmp_path)
    assert not handled and flat(fast) == flat(slow)
    # A byte Windows-1251 does not define (0x98), late in the file: Frictionless's error.
    path = write_export(tmp_path, 800, 25, planted=20, encoding="cp1251", delimiter=",")
    path.write_bytes(path.read_bytes()[:-20] + b"\x98" + path.read_bytes()[-20:])
    fast, slow, handled = both(export_descriptor("windows-1251"), tmp_path)
    assert not handled and [e[3] for e in flat(fast)][-1:] == [e[3] for e in flat(slow)][-1:]
    assert fastcheck.stream_codec("cp1251") == "cp1251"
    for name in ("utf-16", "utf-7", "shift_jis", "gb18030", "cp037"):
        with pytest.raises(fastcheck.Unsupported):
            fastcheck.stream_codec(name)


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
@pytest.mark.parametrize("declared", [True, False])
def test_delimiters_declared_or_sniffed(tmp_path, delimiter, declared):
    # Frictionless's dialect: the declared delimiter, else csv.Sniffer's on its sample.
    write_export(tmp_path, 3000, 31, planted=90, encoding="utf-8", delimiter=delimiter)
    descriptor = export_descriptor("utf-8", delimiter if declared else None)
    assert assert_same(descriptor, tmp_path)
    resource = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(tmp_path))
    with resource:
        sniffed = fastcheck.effective_control(resource, resource.normpath)
    assert sniffed.delimiter == delimiter


def test_cp1251_semicolon_crlf_export(tmp_path, monkeypatch):
    # What Excel saves in Kazakhstan: Windows-1251, ';', CRLF; small blocks, an error limit.
    monkeypatch.setattr(fastcheck, "BLOCK_BYTES", 16384)
    write_export(tmp_path, 3000, 32, planted=90)
    for delimiter in (";", None):
        assert assert_same(export_descriptor("windows-1251", delimiter), tmp_path)
    assert assert_same(export_descriptor("windows-1251", ";"), tmp_path, limit_errors=40)


def test_delimiter_the_fast_path_does_not_model_goes_to_frictionless(tmp_path):
    write_export(tmp_path, 800, 33, planted=20, encoding="utf-8", delimiter=":")
    fast, slow, handled = both(export_descriptor("utf-8", ":"), tmp_path)
    assert not handled and flat(fast) == flat(slow)


# ----------------------------------------------------------------------------- numbers

TRICKY_NUMBERS = [
    "1 234,5", "1234,5", " 1234,5", "1234,5 ", "1 2 3,4", "1.5", "1,2,3", ",5", "5,", "-1 000,25",
    "1e5", "--1", "1 234.5", "١٢٣", "1\u00a0234,5", "1.234,5", "1.234.567,89", "+5", "-0,0",
    "0000012,50", "1234567890123456,5", "1,1234567890123456", "5 %", "$3", "€ 1 234,5", "-",
    "NaN", "inf", "1_000", "12345678901234,123", "1 234 567 890 123,45", "1,", "1 ", " ",
]  # fmt: skip


def encodable(cells: list[str], encoding: str) -> list[str]:
    return [c for c in cells if c.encode(encoding, errors="ignore").decode(encoding) == c]


def plant_cells(path: Path, encoding: str, delimiter: str, column: int, cells: list[str]):
    """Put each of ``cells`` (and a second time) in ``column`` of rows spread over the file."""
    lines = path.read_bytes().decode(encoding).split("\r\n")
    rows = list(csv.reader(lines[1:-1], delimiter=delimiter))
    rng = random.Random(len(cells))
    for value in cells * 2:
        row = rows[rng.randrange(len(rows))]
        if len(row) > column:
            row[column] = value
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    path.write_bytes((lines[0] + "\r\n" + out.getvalue()).encode(encoding))


@pytest.mark.parametrize(
    ("group", "decimal"),
    [("", ","), (" ", ","), (".", ","), ("\u00a0", ","), (",", "."), ("'", ".")],
)
def test_decimal_and_group_chars(tmp_path, monkeypatch, group, decimal):
    encoding = "utf-8" if group == "\u00a0" else "cp1251"
    path = write_export(
        tmp_path, 3000, 41, planted=90, encoding=encoding, group=group, decimal=decimal
    )
    plant_cells(path, encoding, ";", 5, encodable(TRICKY_NUMBERS, encoding))
    descriptor = export_descriptor(encoding, ";", group=group, decimal=decimal)
    assert assert_same(descriptor, tmp_path)
    # Grouped and decimal-comma cells are accepted, not left to Python (90 planted lines,
    # each tricky cell twice).
    assert flagged_rows(descriptor, tmp_path, monkeypatch) < 90 + 2 * len(TRICKY_NUMBERS)


def test_numbers_not_bare(tmp_path):
    # bareNumber: false cuts non-digits at both ends ("5 %", "$3"): those cells are flagged
    # and read by Frictionless; plain ones are accepted as they are.
    path = write_export(tmp_path, 3000, 42, planted=90, decimal=",", group=" ")
    plant_cells(path, "cp1251", ";", 5, encodable(TRICKY_NUMBERS, "cp1251"))
    plant_cells(path, "cp1251", ";", 6, ["5 %", "$3", "3$", "-7", "--7", "x", " 12 ", "1 000"])
    descriptor = export_descriptor("windows-1251", ";", decimal=",", group=" ")
    for name in ("amount", "count"):
        field = next(f for f in descriptor["schema"]["fields"] if f["name"] == name)
        field["bareNumber"] = False
    assert assert_same(descriptor, tmp_path)


def test_number_chars_the_fast_path_does_not_model(tmp_path):
    write_export(tmp_path, 800, 43, planted=20, decimal=",")
    for group, decimal in (("", ",,"), (",", ","), ("1", ","), ("", "-")):
        descriptor = export_descriptor("windows-1251", ";", decimal=",")
        descriptor["schema"]["fields"][5].update(groupChar=group, decimalChar=decimal)
        fast, slow, handled = both(descriptor, tmp_path)
        assert not handled and flat(fast) == flat(slow)


# ----------------------------------------------------------------------------- dates, times

TRICKY_DATES = [
    "1.2.2020", "01.02.2020", "31.02.2020", "29.02.2020", "29.02.2019", "29.02.1900",
    "29.02.2000", "00.01.2020", "32.01.2020", "1.13.2020", " 1.02.2020", "01.02.20",
    "01.02.02020", "01-02-2020", "01.02.2020 ", "01.02.0000", "01.02.0001", "3.1.2020",
    "10.1.2020", "1.10.2020", "01.2.2020", "31.12.9999", "1.1.1", "01.02.2020 10:30",
    "2020-02-01", "2020-2-1", "2020-02-30", "20200201", "2020021", "2020111", "01/02/2020",
    "1/2/20", "31/04/2020", "01.02.69", "29.02.68", "29.02.69", "2020-02-01T10:30:00",
    "2020-02-01 10:30:00", "2020-02-01T24:00:00", "2020-02-01T10:30:00Z",
    "2020-02-01T10:30:00.5", "2020-02-01T10:30", "2020-02-01t10:30:00", "01.02.2020 9:05",
    "01.02.2020 09:05:07", "01.02.2020  09:05", "01.02.2020 24:00", "01.02.2020 23:60",
    "10:30:00", "9:30:00", "23:59:59", "24:00:00", "10:30", "9:05", "10:60", "10:30:60",
    "2020-01", "2020-1", "2020-13", "2020-00", "20-01", "2020-01-01", "+2020-01", "2020 -01",
    "", "NA", "-", "x", "01.02.2020T",
]  # fmt: skip


def write_temporal(
    folder: Path, type_: str, fmt: str, rows: int, seed: int, tricky: list[str] = TRICKY_DATES
) -> dict:
    """id;when;note rows, ``when`` a random moment written with ``fmt`` (the default
    formats for "default"), every ``tricky`` cell planted twice; its descriptor."""
    rng = random.Random(seed)
    defaults = {
        "date": "%Y-%m-%d",
        "datetime": "%Y-%m-%dT%H:%M:%S",
        "time": "%H:%M:%S",
        "yearmonth": "%Y-%m",
    }
    pattern = defaults[type_] if fmt == "default" else fmt
    start = dt.datetime(1990, 1, 1)
    cells = [
        (start + dt.timedelta(seconds=rng.randrange(40 * 365 * 86400))).strftime(pattern)
        for _ in range(rows)
    ]
    for value in tricky * 2:
        cells[rng.randrange(5, rows)] = value
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["id", "when", "note"])
    writer.writerows([index + 1, cell, "запись"] for index, cell in enumerate(cells))
    (folder / "when.csv").write_bytes(out.getvalue().encode("cp1251"))
    field: dict[str, Any] = {"name": "when", "type": type_, "format": fmt}
    fields = [{"name": "id", "type": "integer"}, field, {"name": "note", "type": "string"}]
    descriptor = table_descriptor("when.csv", {"fields": fields, "missingValues": ["", "NA"]})
    descriptor.update(encoding="windows-1251", dialect={"delimiter": ";"})
    return descriptor


@pytest.mark.parametrize(
    ("type_", "fmt"),
    [
        ("date", "default"),
        ("date", "%d.%m.%Y"),
        ("date", "%d/%m/%Y"),
        ("date", "%d.%m.%y"),
        ("date", "%Y%m%d"),
        ("date", "%d.%m.%Y %H:%M"),
        ("datetime", "default"),
        ("datetime", "%d.%m.%Y %H:%M:%S"),
        ("datetime", "%d.%m.%Y %H:%M"),
        ("datetime", "%Y-%m-%dT%H:%M:%S"),
        ("time", "default"),
        ("time", "%H:%M"),
        ("yearmonth", "default"),
    ],
)
def test_temporal_types_and_formats(tmp_path, monkeypatch, type_, fmt):
    descriptor = write_temporal(tmp_path, type_, fmt, 3000, 51)
    assert assert_same(descriptor, tmp_path)
    assert flagged_rows(descriptor, tmp_path, monkeypatch) <= 2 * len(TRICKY_DATES)
    fast, _slow, _handled = both(descriptor, tmp_path)
    assert 20 <= len(fast.tasks[0].errors) < 200  # the planted cells, not every row
    descriptor["schema"]["fields"][1]["constraints"] = {"required": True}
    assert assert_same(descriptor, tmp_path)


def test_date_format_bounds(tmp_path):
    # Frictionless reads a bound with the field's format; the fast path compares dates.
    descriptor = write_temporal(tmp_path, "date", "%d.%m.%Y", 3000, 52)
    field = descriptor["schema"]["fields"][1]
    for constraints in (
        {"minimum": "01.01.2000"},
        {"maximum": "31.12.2009", "minimum": "1.1.1995"},
        {"maximum": "29.02.2000"},
    ):
        field["constraints"] = constraints
        assert assert_same(descriptor, tmp_path)


@pytest.mark.parametrize(
    ("type_", "fmt", "width"),
    [("date", "%d.%m.%Y", 10), ("date", "default", 10), ("datetime", "default", 19)],
)
def test_full_width_dates_are_sliced(tmp_path, monkeypatch, type_, fmt, width):
    # Only full-width cells (or ones that cannot match): the parts are cut at fixed places.
    tricky = [c for c in TRICKY_DATES if len(c) == width]
    descriptor = write_temporal(tmp_path, type_, fmt, 3000, 55, tricky)
    extracted = []
    real = fastcheck.pc.extract_regex
    monkeypatch.setattr(fastcheck.pc, "extract_regex", lambda *a: extracted.append(1) or real(*a))
    if type_ == "date":
        low, high = (
            dt.date(*ymd).strftime("%Y-%m-%d" if fmt == "default" else fmt)
            for ymd in ((1991, 1, 1), (2029, 6, 15))
        )
        descriptor["schema"]["fields"][1]["constraints"] = {"minimum": low, "maximum": high}
    assert assert_same(descriptor, tmp_path)
    assert not extracted
    # Rows flagged are the errors and the valid tricky cells: the parts were read right.
    fast, _slow, _handled = both(descriptor, tmp_path)
    errors = {e[0] for e in flat(fast)}
    assert flagged_rows(descriptor, tmp_path, monkeypatch) <= len(errors) + 2 * len(tricky)


def test_the_export_as_excel_saves_it(tmp_path):
    # cp1251, ';', decimal comma, dd.mm.yyyy and a bound, planted errors, small blocks.
    write_export(tmp_path, 3000, 53, planted=90, decimal=",", date_format="%d.%m.%Y")
    descriptor = export_descriptor("windows-1251", None, decimal=",", date_format="%d.%m.%Y")
    assert assert_same(descriptor, tmp_path)


@pytest.mark.parametrize(
    ("type_", "fmt"),
    [
        ("date", "%B %d, %Y"),  # month names: the locale's
        ("date", "%d.%m"),  # no year: 1900, and Feb 29 is special-cased
        ("date", "%d.%m.%Y.%d"),  # twice: Python's regex does not compile
        ("date", "any"),
        ("datetime", "%Y-%m-%d %H:%M:%S.%f"),
        ("datetime", "%d.%m.%Y %I:%M %p"),
        ("time", "%H:%M:%S%z"),
        ("date", "%d.%m.%Y1"),
    ],
)
def test_temporal_formats_the_fast_path_does_not_model(tmp_path, type_, fmt):
    descriptor = write_temporal(tmp_path, type_, fmt, 600, 54)
    fast, slow, handled = both(descriptor, tmp_path)
    assert not handled and flat(fast) == flat(slow)


def test_strptime_patterns_are_subsets_of_pythons():
    # Every cell the fast path's pattern accepts (and is a real date) strptime reads.
    import pyarrow as pa
    import pyarrow.compute as pc

    for fmt in ("%d.%m.%Y", "%Y%m%d", "%d.%m.%y %H:%M", "%H:%M:%S", "%d/%m/%Y %H:%M:%S"):
        regex = fastcheck.strptime_re(fmt)
        cells = [c for c in TRICKY_DATES if c] + [dt.datetime(2001, 2, 3, 4, 5, 6).strftime(fmt)]
        ok, _ = fastcheck.temporal_cells(pa.array(cells, pa.string()), regex)
        accepted = [c for c, yes in zip(cells, ok.to_pylist(), strict=True) if yes]
        assert accepted, fmt
        for cell in accepted:
            dt.datetime.strptime(cell, fmt)
        # and the rest not certainly: each either fails in Python or is left to it
        assert pc.sum(ok).as_py() == len(accepted)


@pytest.mark.parametrize("where", ["cell", "line end", "last byte", "crcrlf"])
def test_lone_carriage_returns_go_to_frictionless(tmp_path, where):
    # Python's csv ends a row at a lone CR, pyarrow's parser too, but not where lines are
    # counted: the fast path leaves such files to Frictionless (CRLF files it keeps).
    path = write_export(tmp_path, 800, 56, planted=20)
    data = path.read_bytes()
    middle = data.index(b"\r\n", len(data) // 2)
    data = {
        "cell": data[:middle] + b";a\rb" + data[middle:],
        "line end": data[:middle] + b"\r" + data[middle + 2 :],
        "last byte": data + b"1;x\r",
        "crcrlf": data[:middle] + b"\r" + data[middle:],
    }[where]
    path.write_bytes(data)
    fast, slow, handled = both(export_descriptor("windows-1251", ";"), tmp_path)
    assert not handled and flat(fast) == flat(slow)


def test_increasing_integer_keys_and_a_repeat_in_a_flagged_row(tmp_path, monkeypatch):
    # ids 1..N: no grouping needed; the same with one flagged row (a bad date) repeating an
    # earlier id, which Frictionless reports: the grouping is done then.
    write_export(tmp_path, 3000, 57, encoding="utf-8", delimiter=",", newline="\n")
    grouped = []
    real = fastcheck.pc.dictionary_encode
    monkeypatch.setattr(
        fastcheck.pc, "dictionary_encode", lambda *a, **k: grouped.append(1) or real(*a, **k)
    )
    assert assert_same(export_descriptor("utf-8"), tmp_path)
    assert not grouped
    path = tmp_path / "export.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[2000].split(",")
    cells[0], cells[3] = "17", "2021-02-30"
    lines[2000] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert assert_same(export_descriptor("utf-8"), tmp_path)
    assert grouped
    fast, _slow, _handled = both(export_descriptor("utf-8"), tmp_path)
    assert {e[3] for e in flat(fast)} >= {"unique-error", "primary-key", "type-error"}
