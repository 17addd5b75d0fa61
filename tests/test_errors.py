"""The error vocabulary (model/errors.py): one class per error and warning type, used by
every producer, and docs/errors.md and docs/editors.md in step with the registry."""

from __future__ import annotations

import ast
import inspect
import json
import pickle
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from click.testing import CliRunner

from moldir.model import errors
from moldir.model.errors import ERRORS, WARNINGS, ErrorType, markdown_table
from moldir.model.report import NOT_LISTED, DatasetReport, Report, ValidationWarning
from moldir.model.report_formats import FORMATS, format_markdown, format_text
from moldir.pipeline.validate import ValidationOptions, validate_dataset

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "plugins" / "moldir"
OPTIONS = ValidationOptions(max_file_bytes=10_000_000)


def dataset(root: Path, slug: str = "data-set", **descriptor) -> Path:
    folder = root / slug
    folder.mkdir(parents=True)
    (folder / "data.csv").write_text("a\n1\n")
    resource = {"name": "data", "path": "data.csv"}
    resource.update(descriptor.pop("resource", {}))
    package = {"licenses": [{"name": "CC0-1.0"}], "resources": [resource], **descriptor}
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2))
    return folder


# --- the registry --------------------------------------------------------------------


@pytest.mark.parametrize("kind", [*ERRORS.values(), *WARNINGS.values()], ids=lambda k: k.code)
def test_every_type_has_a_code_title_description_and_a_usable_template(kind):
    assert re.fullmatch(r"[a-z]+(-[a-z]+)+", kind.code), kind.code
    assert kind.title and kind.title[0].isupper()
    assert kind.description.endswith("."), kind.description
    names = {name for _, name, _, _ in string.Formatter().parse(kind.template) if name}
    # Filled with a value for every name, the template gives a message with no braces.
    message = kind.message(**{name: 1 for name in names})
    assert "{" not in message and message


def test_moldir_codes_are_not_frictionless_codes():
    # dialect-error is Frictionless's code, which Moldir gives to the delimiter problems it
    # finds itself (hints.py): one code for one problem, whoever finds it.
    assert set(ERRORS) & set(errors.frictionless_errors()) == {"dialect-error"}
    assert not set(ERRORS) & set(WARNINGS)


def test_a_second_type_with_the_same_code_is_refused():
    with pytest.raises(ValueError, match="unknown-topic"):
        type("Again", (ErrorType,), {"code": "unknown-topic", "title": "T", "description": "D."})
    assert ERRORS["unknown-topic"] is errors.UnknownTopic


def test_a_template_value_left_out_is_a_bug_not_a_blank():
    with pytest.raises(KeyError, match="topics"):
        errors.UnknownTopic.error("d", topic="x")


def test_the_frictionless_classes_of_moldir_errors_take_the_registry_words():
    """Errors raised inside Frictionless's validation are Frictionless classes; their code,
    title and description are the registry's."""
    from moldir.pipeline import limits, validate

    pairs = [
        (limits.TooManyColumnsError, errors.TooManyColumns),
        (limits.TooManyRowsError, errors.TooManyRows),
        (limits.CellTooLargeError, errors.CellTooLarge),
        (limits.ErrorsNotListed, errors.ErrorsNotListed),
        (validate.FormulaCellError, errors.FormulaCell),
        (validate.FormulaLabelError, errors.FormulaCell),
    ]
    for frictionless_class, moldir in pairs:
        assert frictionless_class.type == moldir.code
        assert frictionless_class.title == moldir.title
        assert frictionless_class.description == moldir.description
    assert errors.ErrorsNotListed.code == NOT_LISTED


def literal_codes(tree: ast.AST) -> list[tuple[int, str]]:
    """``type="some-code"`` given as a literal to a call (ValidationError, replace, …)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "type"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and re.fullmatch(r"[a-z]+(-[a-z]+)+", value.value)
                ):
                    found.append((node.lineno, value.value))
    return found


def test_no_producer_writes_an_error_code_as_a_string():
    """Every error is made through its class (``Kind.error(...)``), never as a free string:
    a misspelt code cannot reach a report."""
    free = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        free += [f"{path.relative_to(PACKAGE)}:{n}: {code}" for n, code in literal_codes(tree)]
    assert not free, free


# --- the docs ------------------------------------------------------------------------


def test_docs_error_page_is_the_registry():
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    start = text.index("<!-- errors: generated from plugins/moldir/model/errors.py -->\n")
    end = text.index("\n<!-- errors: end -->")
    shown = text[text.index("\n", start) + 1 : end]
    assert shown == markdown_table(), (
        "docs/errors.md differs from the registry: replace its table with "
        "moldir.model.errors.markdown_table()"
    )


def test_every_code_in_the_editors_table_is_known():
    """The editors' table (what to do about each error) names only codes that exist: Moldir's
    or Frictionless's."""
    text = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    table = text[text.index("| kind | what it means | what to do |") :]
    table = table[: table.index("\n\n")]
    codes = [
        code
        for line in table.splitlines()[2:]
        for code in re.findall(r"`([a-z-]+)`", line.split("|")[1])
    ]
    known = set(ERRORS) | set(errors.frictionless_errors())
    assert codes and not [code for code in codes if code not in known]
    assert "missing-file" in codes and "unknown-topic" in codes


# --- producers: precise codes, messages from the templates ----------------------------


def test_a_missing_file_is_missing_file_with_the_template_message(tmp_path):
    folder = dataset(tmp_path, resource={"path": "gone.csv"})
    task, found = validate_dataset(folder, OPTIONS)
    assert found is None
    (error,) = task.errors
    assert error.type == "missing-file" and error.resource == "data"
    assert error.message == 'resource "data": file "gone.csv" does not exist in data-set/'
    assert error.message == errors.MissingFile.message(
        resource="data", path="gone.csv", dataset="data-set"
    )
    text = (folder / "datapackage.json").read_text().splitlines()
    assert '"path": "gone.csv"' in text[error.line - 1]


def test_an_unknown_topic_is_unknown_topic(tmp_path):
    from moldir.model.settings import MoldirSettings
    from moldir.pipeline.portal import validate

    dataset(tmp_path, topic="appeal", title="T", description="D")
    report, _ = validate(MoldirSettings(topics=("appeals", "budget")), tmp_path)
    (error,) = report.errors
    assert error.type == "unknown-topic"
    assert (
        error.message == 'unknown topic "appeal"; use one of: appeals, budget (or add it to '
        'MOLDIR["topics"])'
    )


def test_every_code_of_a_report_is_registered_or_frictionless(tmp_path):
    """Errors of several producers in one folder: each code is a known one."""
    dataset(
        tmp_path,
        "BadName",
        title="<b>T</b>",
        homepage="javascript:alert(1)",
        resource={"path": "../outside.csv", "schema": "https://example.org/s.json"},
    )
    task, _ = validate_dataset(tmp_path / "BadName", OPTIONS)
    codes = {error.type for error in task.errors}
    assert {
        "invalid-name",
        "metadata-markup",
        "unsafe-url",
        "unsafe-path",
        "remote-reference",
    } <= codes
    known = set(ERRORS) | set(errors.frictionless_errors())
    assert codes <= known, codes - known


# --- warnings ------------------------------------------------------------------------


def test_warnings_are_typed_and_read_as_before(tmp_path):
    folder = dataset(tmp_path, name="other-name")
    task, _ = validate_dataset(folder, OPTIONS)
    by_type = {warning.type: warning for warning in task.warnings}
    assert set(by_type) == {"title-filled-in", "description-missing", "name-not-folder"}
    assert all(isinstance(w, ValidationWarning) for w in task.warnings)
    assert by_type["title-filled-in"] == 'no "title": the portal shows "other-name"'
    assert by_type["name-not-folder"].dataset == "data-set"
    # Published as text, as before; pickled (the build cache) with its type.
    published = task.to_descriptor(timings=False)["warnings"]
    assert published == [str(w) for w in task.warnings] and all(type(w) is str for w in published)
    again = pickle.loads(pickle.dumps(task))
    assert [w.type for w in again.warnings] == [w.type for w in task.warnings]
    assert '  warning: no "description" (nor a README.md to take it from)' in format_text(
        Report([task])
    )


def test_a_located_warning_reads_place_then_message(tmp_path):
    folder = dataset(tmp_path, title="T", description="D", i18n={"ru": {"resources": {"nope": {}}}})
    task, _ = validate_dataset(folder, OPTIONS)
    (warning,) = task.warnings
    assert warning.type == "translation-unused"
    assert warning.file and warning.line
    assert str(warning).startswith(f"{warning.file}:{warning.line}: ")
    assert str(warning).endswith("; this translation is not shown")


# --- the report formats ---------------------------------------------------------------


def test_the_cli_offers_the_report_formats(tmp_path, monkeypatch):
    from moldir.cli import main

    dataset(tmp_path / "datasets", resource={"path": "gone.csv"})
    monkeypatch.chdir(tmp_path)
    outputs = {}
    for name in FORMATS:
        result = CliRunner().invoke(main, ["validate", "--format", name, "datasets"])
        assert result.exit_code == 1, result.output
        outputs[name] = result.output
    assert "[missing-file]" in outputs["text"]
    assert json.loads(outputs["json"])["tasks"][0]["errors"][0]["type"] == "missing-file"
    assert "::error file=datasets/data-set/datapackage.json,line=10," in outputs["github"]
    # The Markdown summary says what each code of the report means, from the registry.
    assert "- `missing-file` (Missing File): A data, schema or dialect file" in outputs["markdown"]


def test_markdown_explains_frictionless_codes_too(tmp_path):
    folder = dataset(
        tmp_path,
        title="T",
        description="D",
        resource={"schema": {"fields": [{"name": "a", "type": "date"}]}},
    )
    task, _ = validate_dataset(folder, OPTIONS)
    text = format_markdown(Report([task]))
    assert "- `type-error` (Type Error): The value does not match the schema type" in text
    assert format_markdown(Report([DatasetReport("d", "d")])).count("What the errors mean") == 0


# --- the words of pages -----------------------------------------------------------------


def test_field_constraints_words_are_translated_messages():
    """Every word field_constraints puts on a page is a message of the catalogue, translated
    into Kazakh and Russian (no English on kk/ru pages)."""
    from moldir.pipeline.labels import field_constraints

    source = inspect.getsource(field_constraints)
    with_gettext = [
        message
        for _, function, message, _ in extract_python(
            __import__("io").BytesIO(source.encode()), ["_"], [], {}
        )
        if function == "_"
    ]
    assert {"required", "unique", "pattern", "one of:"} <= set(with_gettext)
    for lang in ("kk", "ru"):
        path = PACKAGE / "locale" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as po:
            catalogue = read_po(po)
        for message in with_gettext:
            assert catalogue.get(message) and catalogue.get(message).string, (lang, message)
    # Every word on the page goes through gettext: with a gettext that marks what it
    # translates, nothing but the marked words, the codes and the figures is left.
    from moldir.model.dataset import Field

    field = Field(
        name="x",
        type="string",
        constraints={
            "required": True,
            "unique": True,
            "minimum": 1,
            "maximum": 9,
            "minLength": 2,
            "maxLength": 5,
            "pattern": "^a$",
            "enum": ["a", "b"],
        },
    )
    shown = "; ".join(str(w) for w in field_constraints(field, lambda text: f"«{text}»"))
    left = re.sub(r"«[^»]*»|<code>[^<]*</code>", "", shown)
    assert not re.search(r"[A-Za-z]", left), left


def test_field_constraints_in_kazakh():
    from moldir.model.dataset import Field
    from moldir.model.language import load_translations
    from moldir.pipeline.labels import field_constraints

    field = Field(
        name="x",
        type="string",
        constraints={"required": True, "unique": True, "pattern": "^a$", "enum": ["a"]},
    )
    words = [str(w) for w in field_constraints(field, load_translations("kk").gettext)]
    assert words[:2] == ["міндетті", "бірегей"]
    assert words[2] == "үлгі <code>^a$</code>"
    assert words[3].startswith("мәндердің бірі: ")
    # Without gettext (the API), the messages as written.
    assert field_constraints(field) == ["required", "unique", "pattern ^a$", "one of: a"]
