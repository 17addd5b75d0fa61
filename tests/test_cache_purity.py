"""The build cache is a pure function of its inputs (issue 18, item 2).

Real builds of a small project (one dataset of the hostile-input suite and one example
dataset with a chart) with the cache on: a cached result is never changed by what a build
does with it, a failed build writes nothing into ``.moldir-cache/``, a setting the results
depend on is part of their key, and a cached build equals a ``MOLDIR_NO_CACHE=1`` build
byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile.conftest import HostileProject, package, table
from test_reuse import differences

from moldir.model.report import ValidationError
from moldir.pipeline import signals
from moldir.pipeline import validate as validation

ROOT = Path(__file__).resolve().parent.parent
CHARTED = "front-office-visits"  # an example dataset with a chart (drawn per language)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> HostileProject:
    monkeypatch.delenv("MOLDIR_NO_CACHE", raising=False)
    project = HostileProject(tmp_path / "project")
    project.dataset("one", package([table()]), {"data.csv": "text\na\n"})
    shutil.copytree(ROOT / "datasets" / CHARTED, project.root / "datasets" / CHARTED)
    # A dated article: feeds without one are dated by the clock, which no build repeats.
    project.page("note.md", "Title: Note\nDate: 2024-01-01\n\nText.\n", folder="articles")
    return project


def set_moldir(project: HostileProject, **changes: object) -> None:
    """Change ``MOLDIR`` keys in the project's settings file (the original file + lines)."""
    settings = project.root / "pelicanconf.py"
    original = (ROOT / "pelicanconf.py").read_text()
    lines = "".join(f"\nMOLDIR[{key!r}] = {value!r}" for key, value in changes.items())
    settings.write_text(original + lines + "\n")


def entries(project: HostileProject) -> dict[str, bytes]:
    """The per-dataset entries in the project's cache, by file name."""
    folder = project.root / ".moldir-cache" / "datasets"
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*"))}


def edit_an_article(project: HostileProject) -> None:
    """Change the site but no dataset: the next build is not skipped as unchanged."""
    article = project.root / "content" / "articles" / "note.md"
    article.write_text(article.read_text() + "More.\n")


def assert_same_as_a_clean_build(project: HostileProject, monkeypatch) -> None:
    """The output equals a build without the cache: a copy of the project without
    .moldir-cache/ or output/, built with ``MOLDIR_NO_CACHE=1``."""
    copy = HostileProject.__new__(HostileProject)
    copy.root = project.root.parent / "clean-project"
    shutil.rmtree(copy.root, ignore_errors=True)
    shutil.copytree(
        project.root, copy.root, ignore=shutil.ignore_patterns(".moldir-cache", "output")
    )
    monkeypatch.setenv("MOLDIR_NO_CACHE", "1")
    try:
        clean = copy.build()
    finally:
        monkeypatch.delenv("MOLDIR_NO_CACHE")
    assert clean.built
    assert differences(project.root / "output", copy.root / "output") == []
    shutil.rmtree(copy.root)


def test_a_removed_topic_fails_once_per_dataset_and_builds_again_when_restored(
    project, monkeypatch
):
    """The scenario of the issue: remove a topic, build twice, restore it."""
    assert project.build().built
    stored = entries(project)
    assert sorted(stored) == [f"{CHARTED}.pickle", "one.pickle"]

    set_moldir(project, topics=["receptions"])  # both datasets' topic is gone
    for _ in range(2):  # the second, unchanged build reports the same, never twice
        outcome = project.build()
        assert outcome.errors(("dataset", "type")) == [
            [CHARTED, "unknown-topic"],
            ["one", "unknown-topic"],
        ]
        assert entries(project) == stored  # a failed build writes nothing

    set_moldir(project)  # the topic is back: builds without deleting .moldir-cache/
    assert project.build().built
    assert_same_as_a_clean_build(project, monkeypatch)


def test_a_first_build_that_fails_leaves_no_entries(project):
    set_moldir(project, topics=["receptions"])
    assert not project.build().built
    assert entries(project) == {}


def test_a_cached_dataset_rejected_by_a_later_check(project, monkeypatch):
    """A check that runs after the cached validation (as a feature's does) rejects a
    dataset the cache holds as valid: its error is reported once per build, and the
    dataset publishes again as soon as the check accepts it."""
    assert project.build().built
    rejecting = {"on": True}

    def reject_one(dataset):
        if rejecting["on"] and dataset.slug == "one":
            return [ValidationError(type="metadata-error", message="no", dataset="one")]
        return []

    def checks(_settings):
        return [reject_one]

    signals.validation_checks.connect(checks)
    try:
        for _ in range(2):
            edit_an_article(project)  # a new build (the checks are not in its fingerprint)
            outcome = project.build()
            assert outcome.errors(("dataset", "type")) == [["one", "metadata-error"]]
        rejecting["on"] = False
        edit_an_article(project)
        assert project.build().built
    finally:
        signals.validation_checks.disconnect(checks)
    assert_same_as_a_clean_build(project, monkeypatch)


def test_changing_a_setting_the_results_depend_on_recomputes_them(project, monkeypatch):
    """The languages shape the charts (drawn in each language, cached with the dataset):
    a build after adding one must not reuse drawings made without it."""
    set_moldir(project, languages=["kk", "ru"])
    assert project.build().built
    validated: list[str] = []
    real = validation.validate_dataset

    def counting(folder, options):
        validated.append(folder.name)
        return real(folder, options)

    monkeypatch.setattr(validation, "validate_dataset", counting)
    set_moldir(project)  # kk, ru and en
    validated.clear()
    assert project.build().built
    assert sorted(validated) == [CHARTED, "one"]  # not read from the cache
    assert (project.root / "output" / "en" / "datasets" / CHARTED / "index.html").is_file()
    assert_same_as_a_clean_build(project, monkeypatch)

    validated.clear()
    edit_an_article(project)
    assert project.build().built
    assert validated == []  # unchanged datasets and settings: every result from the cache
    assert_same_as_a_clean_build(project, monkeypatch)


def test_results_handed_out_by_the_cache_are_copies(tmp_path):
    """Changing what the cache returned never changes what it returns next."""
    from moldir.incremental import store as cache

    folder = tmp_path / "datasets" / "one"
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text("{}")
    store = cache.BuildCache(tmp_path / ".moldir-cache")
    computed = store.dataset(folder, None, lambda: ({"errors": []}, None))
    computed[0]["errors"].append("added by a later check")
    again = store.dataset(folder, None, lambda: pytest.fail("recomputed"))
    assert again == ({"errors": []}, None)
    again[0]["errors"].append("added again")
    assert store.dataset(folder, None, lambda: None) == ({"errors": []}, None)
