"""Delimiter and encoding hints (plugins/moldir/pipeline/hints.py): what a file most likely
is, offered only when the evidence is clear."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from moldir.model.report import ValidationError
from moldir.pipeline import hints

# --- delimiters --------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "declared", "expected", "columns", "strong"),
    [
        ("a;b;c\n1;2;3\n4;5;6\n", ",", ";", 3, True),
        ("a\tb\n1\t2\n", ",", "\t", 2, True),
        ("a|b\n1|2\n", ",", "|", 2, True),
        ("a,b\n1,2\n3,4\n", ";", ",", 2, True),
        # The quoted label's comma and the decimal commas give 2 columns on every line with
        # ",": still ";" (3 columns on every line) is what the file is.
        ('Район;"Из них в срок, %";Всего\nАлматы;95,5;100\nАстана;97,1;120\n', ",", ";", 3, True),
        # Only the header: a hint for an error, never an error of its own.
        ("a;b;c\n", ",", ";", 3, False),
    ],
)
def test_likely_delimiter(tmp_path, text, declared, expected, columns, strong):
    evidence = hints.likely_delimiter(write(tmp_path, text), declared)
    assert evidence is not None
    assert (evidence.delimiter, evidence.columns, evidence.strong) == (expected, columns, strong)


@pytest.mark.parametrize(
    "text",
    [
        "id,note\n1,a;b\n2,c\n",  # a ";" in one cell only
        'id,note\n1,"a;b;c"\n2,"d;e;f"\n',  # ";" only inside quoted cells, not the header
        "id,name;alias\n1,a;b\n",  # as many columns either way: the declared one stands
        "a,b\n1,2\n",
        "",
    ],
)
def test_no_delimiter_hint_without_clear_evidence(tmp_path, text):
    assert hints.likely_delimiter(write(tmp_path, text), ",") is None


def test_a_delimiter_hint_reads_only_a_bounded_sample(tmp_path):
    # A header of 10 MB: the sample is cut, the line is not read whole.
    path = write(tmp_path, "a;" * 5_000_000 + "\n1;2\n")
    assert hints.likely_delimiter(path, ",") is None


def test_the_hint_names_the_resource_and_the_dialect_to_declare(tmp_path):
    evidence = hints.likely_delimiter(write(tmp_path, "a;b\n1;2\n3;4\n"), ",")
    assert evidence.hint("sales") == (
        'the file looks ";"-separated (its header and next 2 lines all have 2 columns '
        'split on ";"): declare "dialect": {"delimiter": ";"} on resource "sales"'
    )


def label_error(resource: str = "data") -> ValidationError:
    return ValidationError(
        type="incorrect-label", message="m", dataset="d", file="f", resource=resource
    )


def test_add_dialect_hints_puts_the_hint_on_the_first_structure_error(tmp_path):
    write(tmp_path, "a;b\n1;2\n")
    descriptor = {"resources": [{"name": "data", "path": "data.csv"}]}
    found = hints.add_dialect_hints([label_error(), label_error()], tmp_path, descriptor, "d")
    assert ['"delimiter": ";"' in error.note for error in found] == [True, False]


def test_add_dialect_hints_adds_an_error_for_a_file_read_as_one_column(tmp_path):
    write(tmp_path, "a;b\n1;2\n")
    descriptor = {"resources": [{"name": "data", "path": "data.csv"}]}
    (error,) = hints.add_dialect_hints([], tmp_path, descriptor, "d", tmp_path.parent)
    assert (error.type, error.file, error.line, error.resource) == (
        "dialect-error",
        f"{tmp_path.name}/data.csv",
        1,
        "data",
    )
    assert "read as one column" in error.message


def test_add_dialect_hints_knows_a_declared_dialect_and_other_formats(tmp_path):
    write(tmp_path, "a;b\n1;2\n")
    write(tmp_path, '{"a": 1}', "data.json")
    descriptor = {
        "resources": [
            {"name": "data", "path": "data.csv", "dialect": {"delimiter": ";"}},
            {"name": "json", "path": "data.json"},
        ]
    }
    assert hints.add_dialect_hints([], tmp_path, descriptor, "d") == []


# --- encodings ---------------------------------------------------------------------------

RUSSIAN = "Количество обращений граждан по районам, всего за год\nАлматы;Астана\n"
KAZAKH = "Азаматтардың өтініштері, Қарағанды облысы бойынша жиыны\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (RUSSIAN.encode("cp1251"), "cp1251"),
        (KAZAKH.encode("kz1048"), "kz1048"),
        (RUSSIAN.lower().encode("koi8-r"), "koi8-r"),
        (RUSSIAN.lower().encode("cp866"), "cp866"),
        ("name,city\nJosé,Zürich\n".encode("latin-1"), "latin-1"),
        ("price\n10 €\n“quoted”\n".encode("cp1252"), "cp1252"),
        (RUSSIAN.encode("utf-8"), "utf-8"),
        (RUSSIAN.encode("utf-16"), "utf-16"),
        (RUSSIAN.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"), "utf-8-sig"),
    ],
)
def test_guess_encoding(data, encoding):
    guess = hints.guess_encoding(data)
    assert guess is not None and guess.encoding == encoding


def test_ascii_is_never_guessed():
    assert hints.guess_encoding(b"id,name\n1,plain\n") is None


def test_the_guess_shows_the_text_as_it_would_read():
    guess = hints.guess_encoding(RUSSIAN.encode("cp1251"))
    assert "Количество обращений" in guess.hint()
    assert guess.hint().endswith('declare "encoding": "cp1251"')


def test_reads_as_utf8_needs_multibyte_letters_and_allows_a_cut_sequence():
    assert hints.reads_as_utf8(b"plain ascii") is None
    assert hints.reads_as_utf8("Алия".encode()) == "Алия"
    assert hints.reads_as_utf8("Алия".encode()[:-1]) == "Ал" + "и"
    assert hints.reads_as_utf8("→ ✓".encode()) is None  # symbols, no letters
    assert hints.reads_as_utf8("Алия".encode("cp1251")) is None


def test_mismatch_hint_shows_both_readings():
    hint = hints.mismatch_hint("Алия, Астана".encode(), "cp1251")
    assert '"Алия, Астана"' in hint and "РђР»РёСЏ" in hint
    assert hint.endswith('declare "encoding": "utf-8"')


def test_undecodable_hint_without_a_clear_guess_still_says_what_to_do():
    hint = hints.undecodable_hint(b"a\x81b\x8dc plain", "utf-8")
    assert "save it as UTF-8" in hint


def test_encoding_names():
    assert hints.normal_encoding("UTF8") == "utf-8"
    assert hints.normal_encoding("windows-1251") == "cp1251"
    assert hints.normal_encoding("no-such-codec") is None
    assert hints.ascii_compatible("cp1251") and not hints.ascii_compatible("utf-16")
    assert hints.utf16_without_bom("ab".encode("utf-16-be") * 10) == "utf-16-be"
