"""The settings model: one typed, checked model of everything a project configures, its
documentation generated from it, and the environment read only at the command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from moldir.cli import main
from moldir.model import settings as settings_module
from moldir.model.settings import (
    MoldirSettings,
    OpenDataSettings,
    SettingsError,
    environment_settings,
    settings_table,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "settings.md"
PACKAGE = ROOT / "plugins" / "moldir"
START = "<!-- settings table: generated from MoldirSettings, do not edit by hand -->\n"
END = "<!-- end of the settings table -->"


def test_docs_table_is_the_models():
    """docs/settings.md shows the table generated from the model: a setting added,
    renamed or given another default fails here until the page is regenerated."""
    text = DOCS.read_text(encoding="utf-8")
    assert START in text and END in text, "the markers of the generated table are missing"
    shown = text.split(START, 1)[1].split(END, 1)[0]
    assert shown == settings_table(), (
        "docs/settings.md disagrees with MoldirSettings: replace the table between the "
        "markers with moldir.model.settings.settings_table()"
    )


def test_every_setting_is_documented_once():
    rows = list(settings_module.documented())
    names = [name for name, *_ in rows]
    assert len(names) == len(set(names))
    for name, type_name, shown, doc in rows:
        assert doc and shown and type_name, name
        assert "\n" not in doc and "|" not in doc.replace("\\|", ""), name  # one table cell
    # Every field of the model and of its open-data section has its row.
    for item in dataclasses.fields(MoldirSettings):
        if item.name not in settings_module.SECTIONS:
            assert any(
                name.endswith((f'"{item.name}"]', item.metadata["key"] or "\0")) for name in names
            ), item.name
    for item in dataclasses.fields(OpenDataSettings):
        assert f'MOLDIR_OPENDATA["{item.name}"]' in names


def test_the_example_portals_settings_are_read():
    import runpy

    for conf in (ROOT / "pelicanconf.py", ROOT / "examples/international/pelicanconf.py"):
        parsed = MoldirSettings.from_pelican(runpy.run_path(str(conf)))
        assert parsed.languages == ("kk", "ru", "en")
        assert parsed.opendata.description.startswith(("Open data on", "Reference data"))
        assert isinstance(parsed.topics, tuple)


def test_defaults_without_any_setting():
    parsed = MoldirSettings.from_pelican({})
    assert parsed == MoldirSettings()
    assert parsed.opendata == OpenDataSettings()
    assert parsed.today is None and parsed.receptions_weeks == 8


def test_loose_settings_are_read_into_the_model():
    parsed = MoldirSettings.from_pelican(
        {
            "MOLDIR_TODAY": "2027-01-02",
            "MOLDIR_RECEPTIONS_WEEKS": 3,
            "MOLDIR_CONTENT_SECURITY_POLICY": "",
            "MOLDIR_OPENDATA": {"site_url": "https://data.example.kz", "feed_limit": 5},
        }
    )
    assert parsed.today == dt.date(2027, 1, 2)
    assert parsed.receptions_weeks == 3
    assert parsed.content_security_policy == ""
    assert parsed.opendata.site_url == "https://data.example.kz"
    assert parsed.opendata.feed_limit == 5


def test_every_problem_is_named_in_one_error():
    bad = {
        "DEFAULT_LANG": "kk",
        "MOLDIR": {
            "max_colums": 3,
            "max_rows": "5000",
            "topics": "appeals",
            "languages": ["ru", "en"],
            "site_names": {"kk": 1},
            "preview_rows": -1,
        },
        "MOLDIR_OPENDATA": {"feed_limit": 0, "site": "x"},
        "MOLDIR_TODAY": "2027-13-01",
        "MOLDIR_RECEPTIONS_WEEKS": "8",
    }
    with pytest.raises(SettingsError) as raised:
        MoldirSettings.from_pelican(bad)
    problems = raised.value.problems
    expected = [
        "unknown MOLDIR setting(s): max_colums",
        "MOLDIR['max_rows'] must be a whole number, not a text '5000'",
        "MOLDIR['topics'] must be a list of texts",
        "MOLDIR['site_names'] must be a dict of texts",
        "MOLDIR['preview_rows'] -1: must not be negative",
        "unknown MOLDIR_OPENDATA setting(s): site",
        "MOLDIR_OPENDATA['feed_limit'] 0: must be more than 0",
        'MOLDIR_TODAY must be a date "YYYY-MM-DD"',
        "MOLDIR_RECEPTIONS_WEEKS must be a whole number",
        "DEFAULT_LANG 'kk' is not in MOLDIR['languages'] (ru, en)",
    ]
    for start in expected:
        assert any(problem.startswith(start) for problem in problems), (start, problems)
    assert len(problems) == len(expected)
    assert str(raised.value).startswith(f"{len(expected)} problems in the settings:\n  - ")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"MOLDIR": ["datasets"]}, "MOLDIR must be a dict, not a list"),
        ({"MOLDIR": {"languages": ["kk", "Kazakh"]}}, "'Kazakh': not a language code"),
        ({"MOLDIR": {"max_file_bytes": True}}, "not True/False True"),
        ({"MOLDIR_CONTENT_SECURITY_POLICY": 1}, "MOLDIR_CONTENT_SECURITY_POLICY must be a text"),
    ],
)
def test_wrong_values(raw, problem):
    with pytest.raises(SettingsError, match=re.escape(problem)):
        MoldirSettings.from_pelican(raw)


def test_parsed_once_per_content_and_again_when_it_changes():
    settings = {"MOLDIR": {"preview_rows": 5}}
    first = MoldirSettings.from_pelican(settings)
    assert MoldirSettings.from_pelican(settings) is first
    assert MoldirSettings.from_pelican({"MOLDIR": {"preview_rows": 5}}) is first
    settings["MOLDIR"]["preview_rows"] = 6  # changed in place: read again
    assert MoldirSettings.from_pelican(settings).preview_rows == 6
    settings["MOLDIR_TODAY"] = "2027-05-01"  # a setting added to the dict (Pelican's entry)
    assert MoldirSettings.from_pelican(settings).today == dt.date(2027, 5, 1)


def test_a_new_fields_type_needs_a_rule():
    with pytest.raises(TypeError, match="no rule"):
        settings_module._convert(float, 1.0)


# --- the environment -----------------------------------------------------------------


def test_environment_settings():
    assert environment_settings({}) == {}
    assert environment_settings({"MOLDIR_TODAY": ""}) == {}
    assert environment_settings({"MOLDIR_TODAY": "2027-01-01", "HOME": "/x"}) == {
        "MOLDIR_TODAY": "2027-01-01"
    }


def test_the_environment_is_read_only_at_the_edges():
    """``os.environ`` is read by the command line and by the Pelican entry point (a plain
    ``pelican`` run), nowhere else in the package."""
    readers = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ|getenv\(|environ\.get\(", text):
            readers.add(path.relative_to(PACKAGE).as_posix())
    assert readers <= {"cli/__init__.py", "site/plugin.py"}, readers
    plugin = (PACKAGE / "site" / "plugin.py").read_text(encoding="utf-8")
    assert plugin.count("os.environ") == 1  # only in apply_environment


def test_the_build_command_passes_the_environment_down(monkeypatch, tmp_path):
    calls = []

    def recording_build(settings_file, output=None, overrides=None, use_cache=True, jobs=0):
        calls.append((overrides, use_cache))
        raise SettingsError(["stop here"])

    (tmp_path / "pelicanconf.py").write_text("MOLDIR = {}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("moldir.site.build.build_site", recording_build)
    monkeypatch.setenv("MOLDIR_TODAY", "2027-01-01")
    monkeypatch.setenv("MOLDIR_NO_CACHE", "1")
    CliRunner().invoke(main, ["build"])
    monkeypatch.delenv("MOLDIR_TODAY")
    monkeypatch.delenv("MOLDIR_NO_CACHE")
    CliRunner().invoke(main, ["build"])
    assert calls == [({"MOLDIR_TODAY": "2027-01-01"}, False), (None, True)]


def test_a_plain_pelican_run_reads_the_environment_at_its_entry_point(monkeypatch):
    from moldir.site.plugin import apply_environment

    monkeypatch.setenv("MOLDIR_TODAY", "2027-03-04")
    plain = SimpleNamespace(settings={"MOLDIR_TODAY": "2020-01-01"})
    apply_environment(plain)
    assert MoldirSettings.from_pelican(plain.settings).today == dt.date(2027, 3, 4)
    # ``moldir build`` passes the portal with settings its command line completed.
    built = SimpleNamespace(settings={"MOLDIR_TODAY": "2020-01-01", "MOLDIR_PORTAL": object()})
    apply_environment(built)
    assert built.settings["MOLDIR_TODAY"] == "2020-01-01"


def test_bad_settings_are_listed_without_a_traceback(tmp_path, monkeypatch):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "pelicanconf.py").write_text(
        "MOLDIR = {'max_colums': 3, 'max_rows': 0}\nMOLDIR_OPENDATA = {'feed_limit': '5'}\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "datasets"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "pelicanconf.py: 3 problems in the settings:" in result.output
    assert "unknown MOLDIR setting(s): max_colums" in result.output
    assert "MOLDIR['max_rows'] 0: must be more than 0" in result.output
    assert "MOLDIR_OPENDATA['feed_limit'] must be a whole number, not a text '5'" in result.output


def test_the_build_date_setting_reaches_the_tables(tmp_path):
    """``load_portal`` reads tables as of ``MOLDIR_TODAY``: a date without a year
    (``format: "any"``) takes the build date's."""
    from hostile.conftest import HostileProject, package, table

    from moldir import connect_features
    from moldir.pipeline.portal import load_portal

    connect_features(pelican=False)
    project = HostileProject(tmp_path / "project")
    fields = [{"name": "day", "type": "date", "format": "any"}]
    project.dataset("dated", package([table(fields=fields)]), {"data.csv": "day\nMarch 5\n"})
    datasets = project.root / "datasets"
    for year in (2031, 2032):
        portal = load_portal(MoldirSettings(today=dt.date(year, 7, 15)), datasets, project.root)
        frame = portal.get("dated").tables["data"]
        assert frame["day"].tolist() == [dt.date(year, 3, 5)]
