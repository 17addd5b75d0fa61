"""The build cache (incremental/store.py, fingerprints.py), the stage timings
(pipeline/progress.py): per-dataset entries, no-change rebuilds."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from moldir.incremental import fingerprints, reuse
from moldir.incremental import store as cache
from moldir.pipeline import progress
from moldir.pipeline.validate import ValidationOptions, validate_dataset

ROOT = Path(__file__).resolve().parent.parent


def touch_later(path: Path) -> None:
    """Change a file's mtime for sure (file systems with coarse timestamps)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_tree_listing_sees_size_and_mtime(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.csv").write_text("id\n1\n")
    (tmp_path / ".hidden").write_text("ignored")
    before = fingerprints.tree_listing(tmp_path)
    assert [entry[0] for entry in before] == ["a/x.csv"]
    touch_later(tmp_path / "a" / "x.csv")
    assert fingerprints.tree_listing(tmp_path) != before


def test_dataset_entries_hit_until_a_file_changes(tmp_path):
    source = sorted(p for p in (ROOT / "datasets").iterdir() if p.is_dir())[0]
    folder = tmp_path / "datasets" / source.name
    shutil.copytree(source, folder)
    store = cache.BuildCache(tmp_path / ".moldir-cache")
    calls = []

    options = ValidationOptions()

    def compute():
        calls.append(folder)
        return validate_dataset(folder, options)

    first = store.dataset(folder, options, compute)
    second = store.dataset(folder, options, compute)
    assert len(calls) == 1 and (store.hits, store.misses) == (1, 1)
    assert second[0].errors == first[0].errors
    assert first[1] is not None and second[1].slug == first[1].slug
    data = next(p for p in folder.rglob("*.csv"))
    touch_later(data)
    store.dataset(folder, options, compute)
    assert len(calls) == 2


def test_derived_results_are_cached_with_the_fingerprint(tmp_path):
    store = cache.activate(tmp_path)
    try:
        folder = tmp_path / "d"
        folder.mkdir()
        (folder / "datapackage.json").write_text("{}")
        store.dataset(folder, ValidationOptions(), lambda: ("task", None))
        values = iter([("tables", "downloads"), ("again", "again")])
        assert store.part("d", "derived", lambda: next(values)) == ("tables", "downloads")
        assert store.part("d", "derived", lambda: next(values)) == ("tables", "downloads")
        assert store.hits == 1 and store.misses == 2  # validation, tables; tables again
        # The entry is written once, when the build ends, with every part it gained.
        assert not (store.root / "datasets" / "d.pickle").exists()
    finally:
        cache.deactivate(saved=True)
    again = cache.BuildCache(store.root)
    again._fingerprints["d"] = store.fingerprint("d")
    assert again.part("d", "derived", lambda: ("recomputed",)) == ("tables", "downloads")
    # A part asked for before the dataset was seen in this build is computed, not cached.
    assert cache.BuildCache(store.root).part("d", "derived", lambda: "fresh") == "fresh"


def test_entries_read_from_disk_leave_their_parts_there_and_keep_them_when_saved(tmp_path):
    """A national portal's 10,000 entries held ~260 MB of pickled parts all build long: an
    entry read from disk keeps only the names of its parts, each read when asked for; an
    entry gaining a part is written back with every part it had."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "datapackage.json").write_text("{}")
    options = ValidationOptions()
    first = cache.BuildCache(tmp_path / ".moldir-cache")
    first.dataset(folder, options, lambda: ("task", None))
    first.part("d", "derived", lambda: ("tables", "downloads"))
    first.save()

    second = cache.BuildCache(first.root)
    assert second.dataset(folder, options, lambda: ("computed", None)) == ("task", None)
    assert set(second._loaded["d"]["parts"].values()) == {cache.ON_DISK}
    assert second.remembers("d", "derived") and not second.remembers("d", "charts")
    assert second.part("d", "charts", lambda: ["chart"]) == ["chart"]  # a new part
    second.save()

    third = cache.BuildCache(first.root)
    never = lambda: pytest.fail("computed again")  # noqa: E731
    assert third.dataset(folder, options, never) == ("task", None)
    assert third.part("d", "derived", never) == ("tables", "downloads")
    assert third.part("d", "charts", never) == ["chart"]
    assert (third.hits, third.misses) == (3, 0)


def test_output_record_notices_edits_to_the_output(tmp_path):
    store = cache.BuildCache(tmp_path / ".moldir-cache")
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>site</p>")
    store.remember_output(output, "abc")
    assert store.output_unchanged(output, "abc")
    assert not store.output_unchanged(output, "other")
    (output / "extra.html").write_text("edited by hand")
    assert not store.output_unchanged(output, "abc")


def test_site_fingerprint_follows_content_and_settings(project_copy, monkeypatch):
    from moldir.site.build import load_settings

    conf = project_copy / "pelicanconf.py"
    settings = load_settings(conf)
    first = fingerprints.site_fingerprint(conf, settings)
    assert fingerprints.site_fingerprint(conf, load_settings(conf)) == first
    # The settings as read: those the command line takes from the environment
    # (MOLDIR_TODAY), and what a settings file reads from it (publishconf.py's SITEURL).
    today = {"MOLDIR_TODAY": "2027-01-01"}
    assert fingerprints.site_fingerprint(conf, load_settings(conf, today), today) != first
    assert (
        fingerprints.site_fingerprint(conf, load_settings(conf, {"SITEURL": "https://x.kz"}))
        != first
    )
    # The environment itself is read only at the command line, never here.
    monkeypatch.setenv("MOLDIR_TODAY", "2027-01-01")
    assert fingerprints.site_fingerprint(conf, settings) == first
    monkeypatch.delenv("MOLDIR_TODAY")
    article = next((project_copy / "content").rglob("*.md"))
    touch_later(article)
    assert fingerprints.site_fingerprint(conf, settings) != first


def test_stages_summary_and_progress(capsys, monkeypatch):
    stages = progress.Stages()
    with stages.stage("validate", 3):
        time.sleep(0.01)
    stages.add("swap", 0.5)
    text = stages.summary()
    assert "validate (3)" in text and "swap" in text
    monkeypatch.setattr(progress, "show_progress", lambda: True)
    assert list(progress.progress("validating datasets", [1, 2, 3])) == [1, 2, 3]
    assert "validating datasets 3/3" in capsys.readouterr().err


def test_rebuild_reuses_unchanged_datasets(project_copy, monkeypatch):
    from moldir import connect_features
    from moldir.site.build import build_site

    connect_features()
    output = project_copy / "output"
    first = build_site(project_copy / "pelicanconf.py", output)
    assert not first.unchanged
    index = (output / "index.html").read_bytes()
    again = build_site(project_copy / "pelicanconf.py", output)
    assert again.unchanged and (output / "index.html").read_bytes() == index
    # One dataset changed: only that one is validated again.
    seen = []
    real = cache.BuildCache.dataset

    def spy(self, folder, inputs, compute):
        hits = self.hits
        result = real(self, folder, inputs, compute)
        seen.append((folder.name, self.hits > hits))
        return result

    monkeypatch.setattr(cache.BuildCache, "dataset", spy)
    changed = sorted(p for p in (project_copy / "datasets").iterdir() if p.is_dir())[0]
    touch_later(next(changed.rglob("*.csv")))
    third = build_site(project_copy / "pelicanconf.py", output)
    assert not third.unchanged
    misses = [name for name, hit in seen if not hit]
    assert misses == [changed.name] and len(seen) > 1


def test_identical_files_keep_their_inode(tmp_path):
    final, staging = tmp_path / "output", tmp_path / "staging"
    for root, changed in ((final, "old"), (staging, "new")):
        (root / "news").mkdir(parents=True)
        (root / "index.html").write_text("same")
        (root / "news" / "index.html").write_text(changed)
    before = (final / "index.html").stat().st_ino
    assert reuse.keep_identical_files(staging, final) == 1
    assert (staging / "index.html").stat().st_ino == before
    assert (staging / "news" / "index.html").read_text() == "new"
    assert (staging / "news" / "index.html").stat().st_ino != (
        final / "news" / "index.html"
    ).stat().st_ino


def test_errors_of_later_checks_never_stick_to_the_cache(tmp_path, monkeypatch):
    """Remove a topic from the settings: the build fails with one error per dataset, the
    same one error on an unchanged rebuild (never two), and builds again once the topic is
    back, without deleting .moldir-cache/ (the checks' errors are not cached)."""
    from hostile.conftest import HostileProject, package, table

    monkeypatch.delenv("MOLDIR_NO_CACHE", raising=False)
    project = HostileProject(tmp_path / "project")
    project.dataset("one", package([table()]), {"data.csv": "text\na\n"})
    project.dataset("two", package([table()]), {"data.csv": "text\nb\n"})
    settings = project.root / "pelicanconf.py"
    original = settings.read_text()
    assert project.build().built

    settings.write_text(original + '\nMOLDIR["topics"] = ["budget"]\n')
    for _ in range(2):
        outcome = project.build()
        assert outcome.errors() == [
            ["one", None, None, "unknown-topic"],
            ["two", None, None, "unknown-topic"],
        ]
    settings.write_text(original)
    assert project.build().built
    assert (project.root / ".moldir-cache").is_dir()
