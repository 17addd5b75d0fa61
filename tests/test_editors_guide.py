"""docs/editors.md follows the tool exactly: the commands of its steps 1 and 5 are run as
written on the guide's own example, a realistic export (Windows-1251, ";", decimal commas,
no-break spaces, Russian headers with a comma inside the quotes), in a throwaway project;
what the guide shows and promises (the printed guesses, the TODO errors, "valid" once they
are written, the dataset page of the build) is what the tool does."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile.conftest import HostileProject

from moldir.cli import main

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "editors.md"
EXPORTS = ROOT / "tests" / "fixtures" / "exports"

# What an editor writes in place of each TODO mark (the examples of the guide's table).
WRITTEN = {
    "title": "Contact centres of akimats: calls per day, 2022",
    "description": "Calls per day received by the contact centres of three akimats.",
    "licenses[0].name": "CC-BY-4.0",
    "licenses[0].title": "Creative Commons Attribution 4.0",
    "sources[0].title": "ACSH (2023). Analytical report. Section 1.2.",
    "keywords[0]": "contact centres",
    "publisher.name": "Astana Civil Service Hub",
    "topic": "appeals",
    "temporal.start": "2022-01-01",
    "temporal.end": "2022-12-31",
    "contactPoint.name": "Open data desk",
    "contactPoint.email": "opendata@example.kz",
    "resources[0].title": "Calls per day by contact centre",
    "resources[0].description": "One row is the contact centre of one akimat.",
}


def section(title: str) -> str:
    """The text of one "## " section of the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def blocks(text: str) -> list[tuple[str, str]]:
    """(language, content) of each fenced block, in order."""
    return re.findall(r"```(\w*)\n(.*?)```", text, re.DOTALL)


def command_and_output(text: str, needle: str) -> tuple[list[str], list[str] | None]:
    """The arguments of the ``sh`` block holding ``needle`` after ``.venv/bin/moldir``, and
    the lines of the ``text`` block right after it (None when there is none)."""
    found = blocks(text)
    for index, (language, content) in enumerate(found):
        if language == "sh" and needle in content:
            words = shlex.split(content.strip().replace("~/", "$HOME/"))
            assert words[0] == ".venv/bin/moldir", content
            following = found[index + 1] if index + 1 < len(found) else ("", "")
            output = following[1].splitlines() if following[0] == "text" else None
            return words[1:], output
    raise AssertionError(f"no command with {needle!r} in the guide")


def fill(value, path=""):
    if isinstance(value, dict):
        return {k: fill(v, f"{path}.{k}" if path else k) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str) and value.startswith("TODO:"):
        return WRITTEN.get(path, "What the column holds (unit).")
    return value


def in_order(shown: list[str], printed: list[str]) -> None:
    """Every line the guide shows is printed, in the same order; "…" stands for lines left
    out of the guide."""
    position = 0
    for line in shown:
        if line.strip() == "…":
            continue
        assert line in printed[position:], (
            f"the guide shows a line the tool does not print:\n{line}"
        )
        position = printed.index(line, position) + 1


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """A throwaway portal project, with the export in the editor's Downloads folder."""
    monkeypatch.setenv("MOLDIR_NO_CACHE", "1")
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    for name in ("contact-centres.csv", "Обращения по месяцам 2023.csv"):
        shutil.copy(EXPORTS / name, home / "Downloads" / name)
    monkeypatch.setenv("HOME", str(home))
    project = HostileProject(tmp_path / "portal")
    monkeypatch.chdir(project.root)
    return project


def moldir(args: list[str]):
    expanded = [a.replace("$HOME", str(Path.home())) for a in args]
    return CliRunner().invoke(main, expanded)


def test_the_guide_shows_the_realistic_export_as_it_is():
    shown = next(c for lang, c in blocks(section("1. Add a dataset")) if "Орган" in c)
    export = (EXPORTS / "contact-centres.csv").read_bytes().decode("cp1251")
    assert shown == export.replace("\r\n", "\n").replace("\u00a0", " ")


def test_step_1_add_a_dataset_from_a_csv(editor):
    text = section("1. Add a dataset")

    # moldir new: the printed guesses and the TODO list are the guide's, line for line.
    args, shown = command_and_output(text, "moldir new contact-centres-ru")
    result = moldir(args)
    assert result.exit_code == 0, result.output
    assert shown is not None
    assert result.output.splitlines() == shown
    folder = editor.root / "datasets" / "contact-centres-ru"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    fields = descriptor["resources"][0]["schema"]["fields"]
    # What the guide says the draft holds.
    assert descriptor["resources"][0]["encoding"] == "cp1251"
    assert descriptor["resources"][0]["dialect"] == {"delimiter": ";"}
    assert descriptor["language"] == "ru"
    assert fields[3]["i18n"] == {"ru": {"title": "Решено при первом звонке, %"}}
    assert '"i18n": {"ru": {"title": "Решено при первом звонке, %"}}' in text
    assert fields[3]["constraints"] == {"minimum": 0, "maximum": 100}

    # Without --names, the names are the headers in Latin letters, as the guide says.
    plain = [a for a in args if not a.startswith("--names") and "," not in a]
    plain[plain.index("contact-centres-ru")] = "contact-centres-latin"
    result = moldir(plain)
    assert result.exit_code == 0, result.output
    before = text[: text.index("moldir new contact-centres-ru")]
    claimed = re.findall(r"`([^`]+)` →\s+`([a-z_]+)`", before)
    assert len(claimed) >= 2
    for header, name in claimed:
        assert f'"{header}" → {name}: ' in result.output

    # moldir validate while the TODO marks are there: the guide's lines, the guide's count.
    args, shown = command_and_output(text, "moldir validate datasets/contact-centres-ru")
    result = moldir(args)
    assert result.exit_code == 1
    assert shown is not None
    in_order(shown, result.output.splitlines())
    assert result.output.splitlines()[0] == shown[0]
    assert result.output.splitlines()[-1] == shown[-1]

    # A topic written wrong is caught, as the guide says.
    wrong = fill(descriptor) | {"topic": "appeal"}
    (folder / "datapackage.json").write_text(json.dumps(wrong, ensure_ascii=False, indent=2))
    assert "[unknown-topic]" in moldir(args).output
    assert '"appeal"` instead of `"appeals"` is an error\n(`unknown-topic`)' in text

    # Every TODO written: the guide's "valid" output, then the build and the dataset page.
    (folder / "datapackage.json").write_text(
        json.dumps(fill(descriptor), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    shutil.rmtree(editor.root / "datasets" / "contact-centres-latin")
    result = moldir(args)
    valid = next(c for lang, c in blocks(text) if c.startswith("✓ contact-centres-ru"))
    assert result.exit_code == 0, result.output
    assert result.output == valid
    outcome = editor.build()
    assert outcome.built, outcome.errors()
    page = (outcome.output / "en" / "datasets" / "contact-centres-ru" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Contact centres of akimats: calls per day, 2022" in page
    assert "Решено при первом звонке, %" in page  # the column title, kept from the header


def test_step_1_data_of_a_kind_a_wide_appeals_export(editor):
    text = section("1. Add a dataset")
    args, shown = command_and_output(text, "--kind appeals")
    result = moldir(args)
    assert result.exit_code == 1  # nothing written: the guide says so
    assert not (editor.root / "datasets" / "appeals-2023").exists()
    assert shown is not None
    in_order(shown, result.output.splitlines())
    assert "run the same command with --reshape wide" in result.output

    # "run the same command with --reshape wide": the long table the guide names.
    result = moldir([*args, "--reshape", "wide"])
    assert result.exit_code == 0, result.output
    name, rows = re.search(r"\(`([\w-]+-long\.csv)`, (\d+) rows\)", text).groups()
    folder = editor.root / "datasets" / "appeals-2023"
    assert len((folder / name).read_text(encoding="utf-8").splitlines()) == 1 + int(rows)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["topic"] == "appeals" and descriptor["temporal"]["end"] == "2023-12-31"
    (folder / "datapackage.json").write_text(
        json.dumps(fill(descriptor), ensure_ascii=False), encoding="utf-8"
    )
    result = moldir(["validate", "datasets/appeals-2023"])
    assert result.exit_code == 0, result.output


def test_step_5_a_reception_schedule_from_the_kind(editor):
    text = section("5. Publish a reception schedule")
    args, _ = command_and_output(text, "moldir new education-call-centre")
    result = moldir(args)
    assert result.exit_code == 0, result.output
    folder = editor.root / "datasets" / "education-call-centre"
    header = (folder / "education-call-centre.csv").read_text(encoding="utf-8")
    shown = next(c for lang, c in blocks(text) if c.startswith("body,position"))
    assert header == shown.splitlines()[0] + "\n"  # "only the header row"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["topic"] == "receptions"
    assert "`topic` is already `receptions`" in text
    (folder / "education-call-centre.csv").write_text(shown, encoding="utf-8")
    (folder / "datapackage.json").write_text(
        json.dumps(fill(descriptor) | {"topic": "receptions"}, ensure_ascii=False),
        encoding="utf-8",
    )
    result = moldir(["validate", "datasets/education-call-centre"])
    assert result.exit_code == 0, result.output
