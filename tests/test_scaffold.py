"""`moldir new`: every guess printed with its evidence, what is printed is what is written,
the kind's columns checked at once, wide appeal tables reshaped; realistic exports in
tests/fixtures/exports/ (SOURCE.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from moldir import connect_features
from moldir.cli import main
from moldir.cli.scaffold import Options, ScaffoldError, new_dataset
from moldir.cli.scaffold.columns import number_format
from moldir.cli.scaffold.names import language_of, latin_name
from moldir.cli.scaffold.reshape import parse_period
from moldir.cli.scaffold.sniff import detect_delimiter, detect_encoding
from moldir.model.settings import MoldirSettings
from moldir.pipeline.discover import todo_marks
from moldir.pipeline.portal import validate

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"
CONTACT_CENTRES = EXPORTS / "contact-centres.csv"
APPEALS_2023 = EXPORTS / "obrashcheniya-akimatov-2023.csv"
MONTHLY = EXPORTS / "Обращения по месяцам 2023.csv"
KAZAKH = EXPORTS / "otinishter-2023.csv"

FILLED = {
    "title": "Appeals to akimats, 2022",
    "description": "Appeals received by two city akimats in 2022.",
    "licenses[0].name": "CC-BY-4.0",
    "licenses[0].title": "Creative Commons Attribution 4.0",
    "sources[0].title": "Akimat reports, 2022.",
    "keywords[0]": "appeals",
    "publisher.name": "Akimat of Astana",
    "topic": "appeals",
    "temporal.start": "2022-01-01",
    "temporal.end": "2022-12-31",
    "contactPoint.name": "Open data team",
    "contactPoint.email": "data@example.kz",
}


def fill(value, path=""):
    """The editor's work: every TODO replaced by real text."""
    if isinstance(value, dict):
        return {k: fill(v, f"{path}.{k}" if path else k) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str) and value.startswith("TODO:"):
        return FILLED.get(path, f"Filled {path.rsplit('.', 1)[-1]}")
    return value


def fill_folder(folder: Path) -> dict:
    descriptor = fill(json.loads((folder / "datapackage.json").read_text(encoding="utf-8")))
    assert not list(todo_marks(descriptor))
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False))
    return descriptor


def check(datasets: Path) -> list[list]:
    """`moldir validate` of a datasets folder (the kinds' checks included)."""
    connect_features(pelican=False)
    report = validate(MoldirSettings(), datasets, datasets.parent)[0]
    return report.flatten(["dataset", "row", "field", "type"])


def run_new(tmp_path: Path, monkeypatch, *args: str):
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, ["new", *args])


# --- the realistic export: every guess printed, and what is printed is written --------------


def test_realistic_export_prints_each_guess_with_its_evidence(tmp_path, monkeypatch):
    result = run_new(tmp_path, monkeypatch, "contact-centres-ru", "--from", str(CONTACT_CENTRES))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:7] == [
        "Reading contact-centres.csv (278 bytes)",
        "  encoding cp1251 (Windows-1251): the bytes are not UTF-8 (byte 0xCE on line 1); read "
        'as Windows-1251 they are Cyrillic words: "Орган", "Звонков", "день"',
        '  delimiter ";": the header has 5 columns and the first 3 data lines 5 each; "," would '
        'give 4 in the header and 1 to 2 in the data lines (tab and "|" split no line)',
        '  numbers: decimal comma ("85,00"); thousands apart by a no-break space ("7 000")',
        "  cells: Russian (Cyrillic, none of the Kazakh letters ә ғ қ ң ө ұ ү һ і): "
        '"language": "ru"',
        "  headers: Russian (Cyrillic, none of the Kazakh letters ә ғ қ ң ө ұ ү һ і): each "
        "column keeps its header as its title, marked ru in the field's i18n",
        "Columns (5):",
    ]
    assert '  1. "Орган" → organ: text, e.g. "Акимат города Астаны"' in lines
    assert (
        '  2. "Звонков в день, минимум" → zvonkov_v_den_minimum: number (whole numbers with '
        "thousands apart by a no-break space: Table Schema reads a group character in numbers, "
        'not in integers), e.g. "7 000"; a count (whole numbers, none below 0): minimum 0'
    ) in lines
    assert (
        '  4. "Решено при первом звонке, %" → resheno_pri_pervom_zvonke_percent: number '
        '(decimal comma), e.g. "85,00"; a percentage (the header says "%"): minimum 0, '
        "maximum 100"
    ) in lines
    assert "Checked the table against the schema written: every cell fits." in lines
    assert (
        "Created datasets/contact-centres-ru/datapackage.json "
        '("encoding": "cp1251", "dialect": {"delimiter": ";"})'
    ) in lines
    assert "Still to write (19 places marked TODO:):" in lines


def test_what_is_printed_is_what_is_written(tmp_path, monkeypatch):
    result = run_new(tmp_path, monkeypatch, "contact-centres-ru", "--from", str(CONTACT_CENTRES))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "datasets" / "contact-centres-ru"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["language"] == "ru"
    resource = descriptor["resources"][0]
    assert resource["encoding"] == "cp1251" and resource["dialect"] == {"delimiter": ";"}
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == [
        "organ",
        "zvonkov_v_den_minimum",
        "zvonkov_v_den_maksimum",
        "resheno_pri_pervom_zvonke_percent",
        "primechanie",
    ]
    percent = fields[3]
    # The header holds a comma inside its quotes: one field, not two.
    assert percent["title"] == "Решено при первом звонке, %"
    assert percent["i18n"] == {"ru": {"title": "Решено при первом звонке, %"}}
    assert percent["type"] == "number" and percent["decimalChar"] == ","
    assert percent["constraints"] == {"minimum": 0, "maximum": 100}
    assert fields[1]["groupChar"] == "\u00a0" and fields[1]["constraints"] == {"minimum": 0}
    # Each field's printed line names its name, its type and its constraints.
    for position, field in enumerate(fields, start=1):
        line = next(x for x in result.output.splitlines() if x.startswith(f"  {position}. "))
        assert f"→ {field['name']}: " in line and field["type"].replace("string", "text") in line
        for key, value in field.get("constraints", {}).items():
            assert f"{key} {value}" in line
    # The header row is the names; every data row is the editor's, byte for byte.
    original = CONTACT_CENTRES.read_bytes()
    copied = (folder / "contact-centres.csv").read_bytes()
    names = ";".join(f["name"] for f in fields).encode("cp1251")
    assert copied == names + b"\r\n" + original.split(b"\r\n", 1)[1]


def test_todo_errors_then_valid_once_written(tmp_path):
    scaffold = new_dataset(tmp_path / "datasets", "contact-centres-ru", CONTACT_CENTRES)
    rows = check(tmp_path / "datasets")
    # The topic still marked TODO is "still to be written", not also an unknown topic.
    assert {row[3] for row in rows} == {"metadata-required"}
    assert sum(row[3] == "metadata-required" for row in rows) == len(scaffold.todos) == 19
    fill_folder(scaffold.folder)
    assert check(tmp_path / "datasets") == []


def test_kazakh_headers_utf8_bom_and_decimal_commas_in_a_comma_file(tmp_path):
    scaffold = new_dataset(tmp_path / "datasets", "otinishter", KAZAKH)
    resource = scaffold.descriptor["resources"][0]
    assert resource["encoding"] == "utf-8-sig" and resource["dialect"] == {"delimiter": ","}
    assert scaffold.descriptor["language"] == "kk"
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == [
        "memlekettik_organ",
        "otinishter_sany",
        "merziminde_qaraldy",
        "merziminde_paiyz",
    ]
    assert fields[2]["i18n"] == {"kk": {"title": "Мерзімінде қаралды"}}
    assert fields[3]["constraints"] == {"minimum": 0, "maximum": 100}
    assert fields[3]["decimalChar"] == ","
    assert 'a percentage (the header says "пайыз")' in scaffold.notes.text
    fill_folder(scaffold.folder)
    assert check(tmp_path / "datasets") == []


def test_names_given_on_the_command_line(tmp_path, monkeypatch):
    names = "body,calls_per_day_min,calls_per_day_max,resolved_first_call_percent,note"
    result = run_new(tmp_path, monkeypatch, "cc", "--from", str(CONTACT_CENTRES), "--names", names)
    assert result.exit_code == 0, result.output
    assert '  1. "Орган" → body (--names): text, e.g. "Акимат города Астаны"' in result.output
    descriptor = json.loads((tmp_path / "datasets/cc/datapackage.json").read_text())
    assert [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]] == names.split(",")
    wrong = run_new(tmp_path, monkeypatch, "cc2", "--from", str(CONTACT_CENTRES), "--names", "a,b")
    assert wrong.exit_code == 1
    assert "--names gives 2 names but the file has 5 columns" in wrong.output
    assert not (tmp_path / "datasets/cc2").exists()


def test_cells_that_break_the_schema_are_listed_at_once(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_bytes(
        "Орган;Звонков;Доля, %\nА;около 800;198,7\nБ;12;50\nВ;13;40,5\nГ;-;1\n".encode("cp1251")
    )
    scaffold = new_dataset(tmp_path / "datasets", "bad", source)
    fields = scaffold.descriptor["resources"][0]["schema"]["fields"]
    assert fields[1]["type"] == "integer" and fields[2]["constraints"]["maximum"] == 100
    assert scaffold.descriptor["resources"][0]["schema"]["missingValues"] == ["", "-"]
    assert '"-" in row 5: no figure (written in missingValues)' in scaffold.notes.text
    assert scaffold.notes.warnings == [
        'row 2, zvonkov: "около 800" is not an integer: write it as the column\'s other '
        "cells, or leave it empty [type-error]",
        'row 2, dolia_percent: "198,7" breaks the column\'s rule: constraint "maximum" is '
        '"100" [constraint-error]',
    ]
    rows = check(tmp_path / "datasets")
    assert ["bad", 2, "zvonkov", "type-error"] in rows
    assert ["bad", 2, "dolia_percent", "constraint-error"] in rows


def test_header_and_data_disagreeing_about_the_delimiter_stops(tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_text("body,calls,share\nAkimat A;12;3,5\nAkimat B;15;4,5\n")
    with pytest.raises(ScaffoldError) as stopped:
        new_dataset(tmp_path / "datasets", "mixed", source)
    assert stopped.value.notes.warnings == [
        'the header and the data lines disagree about the delimiter: the data lines split on ";" '
        'into 3 columns, the header into 1 on ";" but 3 on ",". Write the header with ";" '
        "between the names too"
    ]
    assert not (tmp_path / "datasets" / "mixed").exists()


def test_a_header_longer_than_the_data_is_a_warning(tmp_path):
    source = tmp_path / "extra.csv"
    source.write_text("body;calls;\nA;1\nB;2\n")
    scaffold = new_dataset(tmp_path / "datasets", "extra", source)
    assert (
        "the header has 3 columns but the data lines 2: validation will report the "
        "difference; check the header row"
    ) in scaffold.notes.warnings


# --- the pieces ---------------------------------------------------------------------------


def test_encodings_are_told_apart_with_evidence():
    text = "Орган;Өтініштер\nҚарағанды облысының әкімдігі;12\nҰлытау облысының әкімдігі;5\n"
    assert detect_encoding(text.encode("kz1048")).value == "kz1048"
    russian = "Орган;Обращения\nАкимат города Астаны;12\nАкимат города Алматы;40\n"
    for encoding in ("cp1251", "koi8_r", "cp866"):
        guess = detect_encoding(russian.encode(encoding))
        assert guess.value == encoding, guess
        assert '"Орган", "Обращения", "Акимат"' in guess.evidence
    assert detect_encoding(russian.encode("utf-8")).value == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + russian.encode("utf-8")).value == "utf-8-sig"


def test_letters_lost_by_windows_1251_are_a_warning(tmp_path):
    source = tmp_path / "lost.csv"
    source.write_bytes("Орган;Обращения\n?кімдігі Астаны;12\n".encode("cp1251"))
    scaffold = new_dataset(tmp_path / "datasets", "lost", source)
    assert scaffold.notes.warnings[0].startswith('"?" stands for a letter in "?кімдігі"')


def test_delimiter_evidence_counts_header_and_data_lines():
    guess = detect_delimiter('"a, b";c\n1,5;2\n3,5;4,5\n')
    assert guess.delimiter == ";" and guess.disagreement is None
    assert guess.evidence == (
        '";": the header has 2 columns and the first 2 data lines 2 each; "," would give 1 in '
        'the header and 2 to 3 in the data lines (tab and "|" split no line)'
    )
    assert detect_delimiter("a\tb\n1\t2\n").delimiter == "\t"


@pytest.mark.parametrize(
    ("values", "hint", "decimal", "group", "whole"),
    [
        (["1 234,5", "7,25"], "", ",", " ", False),
        (["21\u00a0325", "800"], "", "", "\u00a0", True),
        (["1.234.567", "12"], "", "", ".", True),
        (["1,234.5", "2,000"], "", ".", ",", False),
        (["1,234"], ",", ",", "", False),  # ambiguous: the file's other numbers decide
        (["1,234"], ".", "", ",", True),
        (["12", "-3"], "", "", "", True),
    ],
)
def test_number_formats(values, hint, decimal, group, whole):
    form = number_format(values, hint)
    assert (form.decimal, form.group, form.whole) == (decimal, group, whole)


def test_not_numbers():
    assert number_format(["Akimat", "3,1"]) is None
    assert number_format(["1,5", "1.5"]) is None


def test_transliteration_of_kazakh_and_russian_headers():
    assert latin_name("ә ғ қ ң ө ұ ү һ і", 1) == "a_g_q_n_o_u_u_h_i"
    assert latin_name("Из них в срок, %", 1) == "iz_nikh_v_srok_percent"
    assert latin_name("Щёлковский объём", 1) == "shchelkovskii_obieem"
    assert latin_name("Ғылым және жоғары білім", 1) == "gylym_zhane_zhogary_bilim"
    assert latin_name("2023", 4) == "column_2023"
    assert latin_name("???", 4) == "column_4"


def test_language_of_texts():
    assert language_of(["Астана қаласының әкімдігі"])[0] == "kk"
    # A Kazakh street name in Russian text does not make it Kazakh.
    assert language_of(["Акимат города Астаны, пр. Бейбітшілік, 11"])[0] == "ru"
    assert language_of(["Akimat of Astana"])[0] == "en"


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("Январь", ("month", 1, None)),
        ("мар.23", ("month", 3, 2023)),
        ("Қаңтар 2024 ж.", ("month", 1, 2024)),
        ("03.2023", ("month", 3, 2023)),
        ("2023-11", ("month", 11, 2023)),
        ("I кв. 2022", ("quarter", 1, 2022)),
        ("Q4 2021", ("quarter", 4, 2021)),
        ("2 полугодие", ("half-year", 2, None)),
        ("2020 год", ("year", 1, 2020)),
        ("Итого", None),
        ("Орган", None),
    ],
)
def test_period_headers(header, parsed):
    assert parse_period(header) == parsed


# --- --kind: the columns checked at once ---------------------------------------------------


def test_kind_columns_checked_at_once_and_nothing_written_when_one_is_missing(
    tmp_path, monkeypatch
):
    source = tmp_path / "schedule.csv"
    source.write_bytes(
        "Орган;Должность;Начало;Окончание\nАкимат;Аким;09:00;12:00\n".encode("cp1251")
    )
    result = run_new(tmp_path, monkeypatch, "rec", "--from", str(source), "--kind", "receptions")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "Checking the columns against the receptions kind (reception-schedule):" in lines
    assert (
        '  your file has 4 columns: "Орган", "Должность", "Начало", "Окончание"' in lines
        and '  renamed: "Орган" → body (a usual header for it)' in lines
        and '  renamed: "Начало" → start_time (a usual header for it)' in lines
        and "  missing: timezone" in lines
    )
    assert lines[-1] == (
        "Error: nothing was written: the receptions kind needs timezone. Add these columns "
        "(docs/schemas/reception-schedule.md), or run moldir new without --kind to publish "
        "the table as it is"
    )
    assert not (tmp_path / "datasets" / "rec").exists()


def test_kind_renames_columns_writes_its_table_and_sets_the_topic(tmp_path):
    source = tmp_path / "schedule.csv"
    source.write_bytes(
        "Орган;Должность;Часовой пояс;Дата;Начало;Окончание;Кабинет\n"
        "Акимат города Астаны;Аким;Asia/Almaty;05.03.2027;09:00;12:00;301\n".encode("cp1251")
    )
    scaffold = new_dataset(tmp_path / "datasets", "rec", source, "receptions")
    assert scaffold.descriptor["topic"] == "receptions"
    assert scaffold.descriptor["kind"] == "reception-schedule"
    assert "topic" not in scaffold.todos
    resource = scaffold.descriptor["resources"][0]
    assert resource["path"] == "schedule-reception-schedule.csv"
    written = (scaffold.folder / resource["path"]).read_text(encoding="utf-8").splitlines()
    assert written[0].split(",")[:11] == [f["name"] for f in resource["schema"]["fields"][:11]]
    assert "2027-03-05" in written[1] and "Asia/Almaty" in written[1]
    assert (scaffold.folder / "schedule.csv").read_bytes() == source.read_bytes()
    assert '"Кабинет" → place (a usual header for it)' in scaffold.notes.text
    fill_folder(scaffold.folder)
    assert check(tmp_path / "datasets") == []


def test_kind_without_a_file_sets_the_topic(tmp_path):
    scaffold = new_dataset(tmp_path / "datasets", "education-call-centre", kind="receptions")
    assert scaffold.descriptor["topic"] == "receptions"
    assert (scaffold.folder / "education-call-centre.csv").read_text().startswith("body,position")


# --- the wide monthly appeal table -----------------------------------------------------------


def test_wide_monthly_table_prints_the_reshape_and_writes_nothing_without_the_flag(
    tmp_path, monkeypatch
):
    result = run_new(
        tmp_path, monkeypatch, "appeals-2023", "--from", str(MONTHLY), "--kind", "appeals"
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "  missing: channel, measure, period_start, period_end, granularity, partial" in lines
    for line in (
        '  body: from "Наименование госоргана"',
        '  periods: one column per month (12: "Январь" … "Декабрь"); the year 2023 from the '
        'file name "Обращения по месяцам 2023.csv"',
        '    "Февраль" → 2023-02-01 – 2023-02-28 (month)',
        '  measure: appeals (from the file name "Обращения по месяцам 2023.csv"; give '
        "--measure to change it)",
        "  channel: all-channels (the file does not name a channel; give --channel to name one)",
        '  left out: "Итого", a total: the sum of the period columns in 5 of 5 rows; the '
        "portal adds them up itself",
        '  left out: "Из них в срок, %" (a percentage, not a count); it stays in the original file',
        '  left out: row 6 "Итого", a total row (the portal adds up rows)',
        "  left out: row 7, empty",
        '  "-" in row 4, "Март": no figure, the value is left empty (never 0)',
    ):
        assert line in lines, line
    assert lines[-1] == (
        "Error: nothing was written: to write the long table "
        "(obrashcheniia-po-mesiatsam-2023-long.csv, 48 rows) beside your file, run the same "
        "command with --reshape wide"
    )
    assert not (tmp_path / "datasets").exists()


def test_wide_monthly_table_reshaped_into_the_long_form(tmp_path):
    scaffold = new_dataset(
        tmp_path / "datasets", "appeals-2023", MONTHLY, "appeals", Options(reshape="wide")
    )
    folder = scaffold.folder
    original = folder / "obrashcheniia-po-mesiatsam-2023.csv"
    assert original.read_bytes() == MONTHLY.read_bytes()  # kept, unchanged
    resource = scaffold.descriptor["resources"][0]
    assert resource["path"] == "obrashcheniia-po-mesiatsam-2023-long.csv"
    assert resource["encoding"] == "utf-8" and resource["dialect"] == {"delimiter": ","}
    assert scaffold.descriptor["topic"] == "appeals"
    assert scaffold.descriptor["temporal"] == {"start": "2023-01-01", "end": "2023-12-31"}
    lines = (folder / resource["path"]).read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "body,channel,measure,period_start,period_end,granularity,partial,period_note,value,"
        "value_qualifier,source,source_file,source_row"
    )
    assert len(lines) == 1 + 4 * 12  # four bodies × twelve months; no total row or column
    assert lines[1] == (
        "Акимат г. Астаны,all-channels,appeals,2023-01-01,2023-01-31,month,false,Январь,1742,,,"
        "obrashcheniia-po-mesiatsam-2023.csv,2"
    )
    assert (
        "Акимат Туркестанской области,all-channels,appeals,2023-03-01,2023-03-31,month,false,"
        "Март,,,,obrashcheniia-po-mesiatsam-2023.csv,4"
    ) in lines  # the dash: no figure, never 0
    assert not any(line.startswith("Итого") for line in lines)
    # The figures add up to the grand total of the export's total row and column.
    total_row = MONTHLY.read_bytes().decode("cp1251").splitlines()[5].split(";")
    assert total_row[0] == "Итого"
    grand_total = int(total_row[13].replace("\u00a0", ""))
    assert sum(int(line.split(",")[8] or 0) for line in lines[1:]) == grand_total
    rows = check(tmp_path / "datasets")
    assert {row[3] for row in rows} == {"metadata-required"}
    fill_folder(folder)
    assert check(tmp_path / "datasets") == []


def test_a_wide_table_by_measure_needs_the_year(tmp_path):
    source = tmp_path / "measures.csv"
    source.write_bytes(
        "Орган;Обращения;Принято граждан;Жалобы\nАкимат г. Астаны;21 325;22 365;12\n".encode(
            "cp1251"
        )
    )
    with pytest.raises(ScaffoldError) as stopped:
        new_dataset(tmp_path / "datasets", "m", source, "appeals", Options(reshape="wide"))
    assert "the headers do not say the year of the figures: give it with --year" in str(
        stopped.value
    )
    scaffold = new_dataset(
        tmp_path / "datasets",
        "m",
        source,
        "appeals",
        Options(reshape="wide", year=2022, channel="public-reception"),
    )
    lines = (scaffold.folder / "measures-long.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1:] == [
        "Акимат г. Астаны,public-reception,appeals,2022-01-01,2022-12-31,year,false,,21325,,,"
        "measures.csv,2",
        "Акимат г. Астаны,public-reception,citizens-received,2022-01-01,2022-12-31,year,false,,"
        "22365,,,measures.csv,2",
        "Акимат г. Астаны,public-reception,complaints,2022-01-01,2022-12-31,year,false,,12,,,"
        "measures.csv,2",
    ]


def test_reshape_is_for_appeals_only(tmp_path):
    with pytest.raises(ScaffoldError, match="--reshape wide is for --kind appeals"):
        new_dataset(tmp_path / "d", "x", CONTACT_CENTRES, "budget", Options(reshape="wide"))


def test_cli_new_refuses_existing_folder_and_bad_slug(tmp_path, monkeypatch):
    shutil.copy(APPEALS_2023, tmp_path / "a.csv")
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(main, ["new", "my-data", "--from", "a.csv"])
    assert first.exit_code == 0, first.output
    assert "Still to write" in first.output and "moldir validate" in first.output
    again = runner.invoke(main, ["new", "my-data", "--from", "a.csv"])
    assert again.exit_code == 1 and "already exists" in again.output
    bad = runner.invoke(main, ["new", "My Data", "--from", "a.csv"])
    assert bad.exit_code == 1 and "not a valid slug" in bad.output


def test_a_share_with_decimals_is_a_percentage(tmp_path):
    source = tmp_path / "share.csv"
    source.write_bytes("Орган;Доля рассмотренных\nА;12,5\nБ;40\n".encode("cp1251"))
    scaffold = new_dataset(tmp_path / "datasets", "share", source)
    field = scaffold.descriptor["resources"][0]["schema"]["fields"][1]
    assert field["constraints"] == {"minimum": 0, "maximum": 100}
    assert (
        'a percentage (the header says "доля"; every value is between 0 and 100, with '
        "decimals): minimum 0, maximum 100"
    ) in scaffold.notes.text


def test_budget_columns_checked_at_once(tmp_path):
    source = tmp_path / "budget.csv"
    source.write_bytes(
        "Код АБП;Администратор;Год;План;Исполнение\n"
        "225;Министерство просвещения;2023;1 234,5;1 200,1\n".encode("cp1251")
    )
    with pytest.raises(ScaffoldError) as stopped:
        new_dataset(tmp_path / "datasets", "budget", source, "budget")
    notes = stopped.value.notes.lines
    assert '  renamed: "Код АБП" → administrator_code (a usual header for it)' in notes
    assert '  renamed: "Исполнение" → executed (a usual header for it)' in notes
    assert "  missing: level, currency, unit" in notes
    assert str(stopped.value).startswith(
        "nothing was written: the budget kind needs level, currency, unit."
    )
    assert not (tmp_path / "datasets" / "budget").exists()


def test_the_project_topics_are_offered_and_a_missing_one_is_said_at_once(tmp_path):
    # The Kazakh example portal publishes no budget data: "budget" is not among its topics.
    topics = ("appeals", "receptions", "surveys", "open-government")
    scaffold = new_dataset(tmp_path, "plan", None, "budget", Options(topics=topics))
    assert scaffold.descriptor["topic"] == "budget"
    assert (
        'warning: "budget" is not one of this portal\'s topics (appeals, receptions, surveys, '
        'open-government): add it to MOLDIR["topics"] in pelicanconf.py, or the dataset will '
        "not validate"
    ) in scaffold.notes.lines
    generic = new_dataset(tmp_path, "plain", CONTACT_CENTRES, "generic", Options(topics=topics))
    assert generic.descriptor["topic"] == "TODO: appeals, receptions, surveys or open-government"
    appeals = new_dataset(tmp_path, "counts", None, "appeals", Options(topics=topics))
    assert not any("not one of this portal" in line for line in appeals.notes.lines)


def test_a_wide_table_by_measure_and_year(tmp_path):
    source = tmp_path / "both.csv"
    source.write_text(
        "Орган;Обращения 2021;Обращения 2022;Жалобы 2021;Жалобы 2022\nАкимат;10;20;1;2\n"
    )
    scaffold = new_dataset(tmp_path / "d", "both", source, "appeals", Options(reshape="wide"))
    assert '    "Жалобы 2022" → 2022-01-01 – 2022-12-31 (year), complaints' in scaffold.notes.lines
    rows = (scaffold.folder / "both-long.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [row.split(",")[2:5] for row in rows] == [
        ["appeals", "2021-01-01", "2021-12-31"],
        ["appeals", "2022-01-01", "2022-12-31"],
        ["complaints", "2021-01-01", "2021-12-31"],
        ["complaints", "2022-01-01", "2022-12-31"],
    ]


def test_cells_with_a_percent_sign(tmp_path):
    source = tmp_path / "pct.csv"
    source.write_bytes("Орган;Решено\nА;98,7%\nБ;100%\nВ;45,5%\n".encode("cp1251"))
    scaffold = new_dataset(tmp_path / "datasets", "pct", source)
    field = scaffold.descriptor["resources"][0]["schema"]["fields"][1]
    assert field["bareNumber"] is False and field["decimalChar"] == ","
    assert field["constraints"] == {"minimum": 0, "maximum": 100}
    assert "Checked the table against the schema written: every cell fits." in scaffold.notes.lines
    fill_folder(scaffold.folder)
    assert check(tmp_path / "datasets") == []
