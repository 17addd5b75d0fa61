"""Hostile descriptors: paths that climb out, links, remote references, names that become
paths, and descriptors built to break the reader. Each case asserts its exact outcome."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from moldir.model.safety import UnsafeOutputPath, checked_output, output_path, set_output_root

from .conftest import package, rows_of, table

CSV = "text\nhello\n"


def only_errors(report, slug="case"):
    return [[e.type, e.resource, e.line is not None] for e in report.task(slug).errors]


# --- names that become paths ---------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../../../../../x", "../x", "a/b", "/etc/passwd", ".hidden", "a\\b", "..", "x" * 101, ""],
)
def test_resource_names_that_are_not_file_names_are_refused(project, name):
    project.dataset("case", package([table(name=name)]), {"data.csv": CSV})
    report = project.validate()
    types = [e.type for e in report.task("case").errors]
    assert "invalid-name" in types
    error = next(e for e in report.task("case").errors if e.type == "invalid-name")
    assert "becomes the name of the downloads" in error.message
    assert error.file == "datasets/case/datapackage.json"


def test_traversal_name_never_writes_outside_the_site(project, tmp_path):
    project.dataset("case", package([table(name="../../../../../x")]), {"data.csv": CSV})
    outcome = project.build()
    assert not outcome.built
    assert ["case", None, None, "invalid-name"] in outcome.errors()
    # Nothing named x.* anywhere above the output folder.
    assert not list(tmp_path.rglob("x.csv")) and not list(tmp_path.rglob("x.xlsx"))
    assert not outcome.output.exists()


def test_data_of_a_badly_named_resource_is_still_checked_in_the_same_run(project):
    project.dataset(
        "case",
        package([table(name="Sheet 1", fields=[{"name": "n", "type": "integer"}])]),
        {"data.csv": "n\nmany\n"},
    )
    rows = rows_of(project.validate(), ("resource", "row", "field", "type"))
    assert [None, None, None, "invalid-name"] in [
        [None if r[0] == "Sheet 1" else r[0], *r[1:]] for r in rows
    ] or ["Sheet 1", None, None, "invalid-name"] in rows
    assert ["Sheet 1", 2, "n", "type-error"] in rows


def test_duplicate_resource_names_are_refused(project):
    project.dataset(
        "case",
        package([table(), table(path="other.csv")]),
        {"data.csv": CSV, "other.csv": CSV},
    )
    errors = project.validate().task("case").errors
    # Moldir's error names the resource and line; Frictionless's own is kept beside it.
    assert [e.type for e in errors] == ["invalid-name", "package-error"]
    assert "used twice" in errors[0].message and errors[0].resource == "data"


@pytest.mark.parametrize("name", ["datapackage", "index", "Index", "original"])
def test_names_whose_downloads_would_replace_the_portals_files_are_reserved(project, name):
    project.dataset("case", package([table(name=name)]), {"data.csv": CSV})
    errors = project.validate().task("case").errors
    # Frictionless (v1 names) also rejects upper case: its package-error comes beside.
    assert [e.type for e in errors] == ["invalid-name"] + ["resource-error"] * (
        name != name.lower()
    )
    assert "reserved" in errors[0].message


def test_names_differing_only_in_case_are_one_file_on_many_hosts(project):
    project.dataset(
        "case",
        package([table(), table(name="Data", path="other.csv")]),
        {"data.csv": CSV, "other.csv": CSV},
    )
    errors = project.validate().task("case").errors
    assert [e.type for e in errors] == ["invalid-name", "resource-error"]
    assert "used twice" in errors[0].message


def test_dataset_folder_names_must_be_slugs(project):
    project.dataset("Bad Name", package([table()]), {"data.csv": CSV})
    report = project.validate()
    assert [e.type for e in report.task("Bad Name").errors] == ["invalid-name"]


# --- paths and links that lead outside ------------------------------------------------


@pytest.mark.parametrize(
    "path, error",
    [
        ("../secret.csv", "unsafe-path"),
        ("../../../../etc/passwd", "unsafe-path"),
        ("/etc/passwd", "unsafe-path"),
        ("C:\\data\\x.csv", "unsafe-path"),
        ("sub\\..\\..\\x.csv", "unsafe-path"),
        ("https://example.org/data.csv", "remote-reference"),
        ("file:///etc/passwd", "remote-reference"),
        ("ftp://example.org/x.csv", "remote-reference"),
        ("missing.csv", "missing-file"),
    ],
)
def test_data_paths_outside_the_folder_are_refused(project, path, error):
    (project.root / "datasets" / "secret.csv").write_text("text\nsecret\n")
    project.dataset("case", package([table(path=path)]), {})
    errors = project.validate().task("case").errors
    assert [(e.type, e.resource) for e in errors] == [(error, "data")]
    assert errors[0].line is not None  # the descriptor line that names it


def test_a_symlinked_data_file_leading_outside_is_refused(project, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("text\nsecret\n")
    folder = project.dataset("case", package([table()]), {})
    (folder / "data.csv").symlink_to(outside)
    errors = project.validate().task("case").errors
    assert [(e.type, e.resource) for e in errors] == [("unsafe-path", "data")]


def test_a_symlinked_dataset_folder_is_refused(project, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "case"
    elsewhere.mkdir(parents=True)
    (elsewhere / "datapackage.json").write_text(json.dumps(package([table()])))
    (elsewhere / "data.csv").write_text("text\nfrom outside the repository\n")
    (project.root / "datasets" / "case").symlink_to(elsewhere, target_is_directory=True)
    errors = project.validate().task("case").errors
    assert [e.type for e in errors] == ["unsafe-path"]
    assert "symbolic link" in errors[0].message
    outcome = project.build()
    assert not outcome.built


def test_a_symlinked_descriptor_is_refused(project, tmp_path):
    outside = tmp_path / "descriptor.json"
    outside.write_text(json.dumps(package([table()])))
    folder = project.root / "datasets" / "case"
    folder.mkdir()
    (folder / "data.csv").write_text(CSV)
    (folder / "datapackage.json").symlink_to(outside)
    errors = project.validate().task("case").errors
    assert [e.type for e in errors] == ["descriptor-error"]
    assert "outside the folder" in errors[0].message


def test_external_schema_outside_the_folder_is_refused(project, tmp_path):
    (project.root / "datasets" / "schema.json").write_text('{"fields": []}')
    resource = {"name": "data", "path": "data.csv", "schema": "../schema.json"}
    project.dataset("case", package([resource]), {"data.csv": CSV})
    errors = project.validate().task("case").errors
    assert [(e.type, e.resource) for e in errors] == [("unsafe-path", "data")]


# --- nothing is fetched ----------------------------------------------------------------


@pytest.mark.parametrize(
    "resource_extra",
    [
        {"schema": "https://example.org/schema.json"},
        {"dialect": "https://example.org/dialect.json"},
        {"profile": "https://example.org/profile.json"},
        {"schema": {"fields": [{"name": "text"}], "$schema": "https://example.org/s.json"}},
    ],
)
def test_remote_schema_dialect_and_profile_are_errors_not_fetches(project, resource_extra):
    resource = {**table(), **resource_extra}
    project.dataset("case", package([resource]), {"data.csv": CSV})
    errors = project.validate().task("case").errors
    assert "remote-reference" in [e.type for e in errors]
    assert all(e.type == "remote-reference" for e in errors)


def test_a_remote_package_profile_is_an_error(project):
    project.dataset(
        "case", package([table()], profile="https://example.org/p.json"), {"data.csv": CSV}
    )
    assert [e.type for e in project.validate().task("case").errors] == ["remote-reference"]


def test_official_profile_urls_are_read_locally(project):
    # Frictionless would download this URL; Moldir maps it to the profile's name.
    project.dataset(
        "case",
        package(
            [{**table(), "profile": "tabular-data-resource"}],
            profile="https://specs.frictionlessdata.io/schemas/tabular-data-package.json",
        ),
        {"data.csv": CSV},
    )
    assert project.validate().valid


# --- links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
@pytest.mark.parametrize("where", ["homepage", "sources", "licenses", "publisher"])
def test_links_in_metadata_must_be_http_or_mailto(project, value, where):
    metadata = {
        "homepage": {"homepage": value},
        "sources": {"sources": [{"title": "Source", "path": value}]},
        "licenses": {"licenses": [{"name": "custom", "path": value}]},
        "publisher": {"publisher": {"name": "Body", "url": value}},
    }[where]
    project.dataset("case", package([table()], **metadata), {"data.csv": CSV})
    errors = project.validate().task("case").errors
    assert [e.type for e in errors] == ["unsafe-url"]
    assert where in errors[0].message


def test_http_https_and_mailto_links_are_fine(project):
    project.dataset(
        "case",
        package(
            [table()],
            homepage="https://example.org/",
            sources=[{"title": "A", "path": "http://example.org/a"}],
            contributors=[{"title": "B", "path": "mailto:b@example.org"}],
        ),
        {"data.csv": CSV},
    )
    assert project.validate().valid


# --- descriptors built to break the reader ---------------------------------------------


def test_yaml_aliases_are_refused_before_they_expand(project):
    laughs = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    for n in range(1, 9):
        previous = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        laughs += f"{name}: &{name} [*{previous},*{previous},*{previous},*{previous}]\n"
    laughs += "title: x\nresources: []\n"
    project.dataset("case", laughs, descriptor_name="datapackage.yaml")
    errors = project.validate().task("case").errors
    assert [e.type for e in errors] == ["descriptor-error"]
    assert "aliases" in errors[0].message


def test_deeply_nested_json_is_an_error_not_a_crash(project):
    project.dataset("case", '{"a":' * 100_000 + "1" + "}" * 100_000)
    errors = project.validate().task("case").errors
    assert [e.type for e in errors] == ["descriptor-error"]


def test_a_descriptor_that_is_not_an_object(project):
    project.dataset("case", "[1, 2, 3]")
    assert [e.type for e in project.validate().task("case").errors] == ["descriptor-error"]


@pytest.mark.parametrize(
    "metadata, types",
    [
        ({"views": "chart"}, ["view-error"]),
        ({"topic": ["appeals"]}, ["descriptor-error"]),
        ({"i18n": {"kk": "Қазақша"}}, ["descriptor-error"]),
        ({"resources": "data.csv"}, ["metadata-required"]),
        ({"resources": [42]}, ["descriptor-error"]),
    ],
)
def test_metadata_of_the_wrong_type_is_an_error_naming_it(project, metadata, types):
    project.dataset("case", {**package([table()]), **metadata}, {"data.csv": CSV})
    errors = project.validate().task("case").errors
    assert [e.type for e in errors][: len(types)] == types
    assert all(e.file == "datasets/case/datapackage.json" for e in errors)


def test_a_bom_before_the_descriptor_is_read(project):
    folder = project.dataset("case", package([table()]), {"data.csv": CSV})
    path = folder / "datapackage.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert project.validate().valid


# --- every error in one run ------------------------------------------------------------


def test_metadata_data_and_views_errors_come_together(project):
    descriptor = package(
        [table(fields=[{"name": "n", "type": "integer"}])],
        licenses=[],
        views=[
            {
                "name": "chart",
                "resources": ["missing"],
                "specType": "vega-lite",
                "spec": {"mark": "bar"},
            }
        ],
    )
    project.dataset("case", descriptor, {"data.csv": "n\nmany\n"})
    types = sorted({e.type for e in project.validate().task("case").errors})
    assert types == ["metadata-required", "type-error", "view-error"]


# --- what a Data Package may leave out -------------------------------------------------


def test_inline_data_resources_validate_and_build(project):
    resource = {
        "name": "inline",
        "data": [["text", "n"], ["a", 1], ["b", 2]],
        "schema": {"fields": [{"name": "text"}, {"name": "n", "type": "integer"}]},
    }
    project.dataset("case", package([resource]))
    report = project.validate()
    assert report.valid, report.flatten(["type", "message"])
    outcome = project.build()
    assert outcome.built, outcome.report and outcome.report.flatten(["type", "message"])
    assert (outcome.output / "datasets" / "case" / "inline.csv").read_text() == (
        "text,n\na,1\nb,2\n"
    )


def test_description_falls_back_to_the_readme(project):
    descriptor = package([table()])
    del descriptor["description"]
    project.dataset(
        "case",
        descriptor,
        {
            "data.csv": CSV,
            "README.md": "# Title\n\n[![badge](x.svg)](y)\n\nPrices of [bread](https://x.org) "
            "by *month*.\nSecond line.\n\n## Data\n\nMore.\n",
        },
    )
    report = project.validate()
    assert report.valid and report.task("case").warnings == []
    outcome = project.build()
    published = json.loads((outcome.output / "datasets" / "case" / "datapackage.json").read_text())
    assert published["description"] == "Prices of bread by *month*. Second line."


def test_missing_title_and_description_are_warnings_and_a_missing_licence_an_error(project):
    descriptor = {"name": "other-name", "resources": [table()]}
    project.dataset("case", descriptor, {"data.csv": CSV})
    task = project.validate().task("case")
    assert [e.type for e in task.errors] == ["metadata-required"]
    assert "licenses" in task.errors[0].message
    assert len(task.warnings) == 3  # title, description, name ≠ folder


def test_a_package_with_another_name_builds_under_its_folder(project):
    project.dataset("case", package([table()], name="gdp"), {"data.csv": CSV})
    outcome = project.build()
    assert outcome.built
    published = json.loads((outcome.output / "datasets" / "case" / "datapackage.json").read_text())
    assert published["name"] == "case"


# --- the last guard: writers confined to the folder being built ------------------------


def test_output_path_refuses_parts_that_climb_out(tmp_path):
    assert output_path(tmp_path, "datasets", "a", "b.csv") == tmp_path.resolve() / (
        "datasets/a/b.csv"
    )
    for parts in (("..", "x"), ("datasets", "../../x"), ("/etc/passwd",)):
        with pytest.raises(UnsafeOutputPath):
            output_path(tmp_path, *parts)


def test_writers_refuse_paths_outside_the_build(tmp_path):
    site = tmp_path / "staging"
    site.mkdir()
    (site / "link").symlink_to(tmp_path)
    set_output_root(site)
    try:
        assert checked_output(site / "a" / "b.html") == site.resolve() / "a" / "b.html"
        for path in (tmp_path / "x.html", site / ".." / "x.html", site / "link" / "x.html"):
            with pytest.raises(UnsafeOutputPath):
                checked_output(path)
    finally:
        set_output_root(None)
    assert checked_output(Path(os.devnull)) == Path(os.devnull).resolve()


@pytest.mark.parametrize(
    "i18n",
    [
        {"kk": {"title": "<script>alert(1)</script>"}},
        {"ru": {"resources": {"data": {"title": "<img src=x onerror=alert(1)>"}}}},
        {"en": {"views": [{"name": "v", "title": "<b>x</b>"}]}},
    ],
)
def test_markup_in_translations_is_an_error(project, i18n):
    project.dataset("case", package([table()], i18n=i18n), {"data.csv": CSV})
    errors = project.validate().task("case").errors
    assert [e.type for e in errors] == ["metadata-markup"]
    assert errors[0].message.startswith('"i18n.')
