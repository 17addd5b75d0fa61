"""Whole-site checks: two clean builds are byte-identical, and a failed build leaves the
previous output exactly as it was (docs/security.md, "Reproducible builds").

The two builds are the example portal built by ``moldir build`` in subprocesses from two
copies of the project in different folders, into different output folders, with another
``PYTHONHASHSEED`` (an order taken from a set or a hash shows up), time zone and locale,
the second without network (it is test_offline.py's build). Both are "as of" the same day
(``MOLDIR_TODAY``): the reception pages list upcoming receptions from the build date.
"""

from __future__ import annotations

import difflib
import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from whole_site import (
    ROOT,
    build_environment,
    contents,
    copy_project,
    offline_build,
    online_build,
    run_moldir,
    tree,
)

from moldir.cli import main
from moldir.features.search import (
    BUNDLE_DIR,
    PAGEFIND_MARK,
    SearchIndexError,
    build_index,
    pagefind_hash,
    unpack,
)


@pytest.fixture(scope="session")
def base(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "whole-site"


def describe(name: str, left: tuple, right: tuple) -> str:
    """One difference, readably: the first differing lines of a text file."""
    if left is None or right is None:
        return f"{name}: only in the {'second' if left is None else 'first'} build"
    if left[0] != right[0] or left[0] != "file":
        return f"{name}: {left[0]} {left[1]!r:.80} / {right[0]} {right[1]!r:.80}"
    try:
        a, b = left[1].decode("utf-8"), right[1].decode("utf-8")
    except UnicodeDecodeError:
        return f"{name}: binary, {len(left[1])} / {len(right[1])} bytes"
    lines = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
    return f"{name}:\n" + "\n".join(line[:200] for line in list(lines)[2:8])


def test_two_clean_builds_are_byte_identical(base: Path):
    first, second = online_build(base), offline_build(base)
    for build in (first, second):
        assert build.build.returncode == 0, build.build.stdout + build.build.stderr
    left, right = contents(first.output), contents(second.output)
    different = sorted(
        name for name in left.keys() | right.keys() if left.get(name) != right.get(name)
    )
    report = "\n".join(describe(name, left.get(name), right.get(name)) for name in different)
    assert different == [], f"{len(different)} entries differ:\n{report[:6000]}"
    # What is compared: the whole site, the search index included.
    assert any(name.startswith(f"{BUNDLE_DIR}/filter/") for name in left)
    assert any(name.endswith(".pf_meta") for name in left)
    assert any(name.endswith(".xlsx") for name in left)
    assert any(name.endswith(".zip") for name in left)


# --- a failed build leaves the output as it was ----------------------------------------
#
# tests/test_reuse.py checks it for a failure after every page was written (files' bytes,
# mtimes and inodes, with the cache linking pages from the old output), tests/test_build.py
# for invalid data on a stand-in output, and the search tests below for Pagefind failing.
# Here the previous output is a whole real site and everything is compared, folders, modes
# and inodes included, for a build stopped before Pelican (invalid data) and by Pelican
# itself (a template error while pages are being written to the staging folder).


@pytest.fixture(scope="module")
def previous(base: Path, tmp_path_factory) -> Path:
    """A copy of a real built site, standing as the output a failed build must not touch."""
    built = online_build(base)
    assert built.build.returncode == 0, built.build.stderr
    output = tmp_path_factory.mktemp("previous") / "output"
    shutil.copytree(built.output, output, symlinks=True)
    return output


def failed_build(project: Path, output: Path, **env: str) -> subprocess.CompletedProcess:
    """``moldir build`` into ``output``, expected to fail."""
    done = run_moldir(
        project,
        "build",
        "--output",
        str(output),
        env={**build_environment(seed=3, zone="UTC", locale="C.UTF-8"), **env},
    )
    assert done.returncode != 0, done.stdout + done.stderr
    return done


def assert_left_alone(output: Path, before: dict) -> None:
    after = tree(output)
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    assert changed == [], f"the failed build changed {changed[:20]}"
    assert not list(output.parent.glob(f".{output.name}.*")), "a staging folder was left"


def test_a_build_with_invalid_data_leaves_the_output_as_it_was(previous: Path, tmp_path: Path):
    project = copy_project(tmp_path / "portal")
    table = project / "datasets" / "blog-requests" / "requests.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",many"  # a count that is not a number
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = tree(previous)
    done = failed_build(project, previous)
    assert done.returncode == 1
    assert "blog-requests/requests.csv, row 2" in done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "previous output was left untouched" in done.stderr
    assert_left_alone(previous, before)


def test_a_template_error_leaves_the_output_as_it_was(previous: Path, tmp_path: Path):
    project = copy_project(tmp_path / "portal")
    # A page template that fails while Pelican writes the pages.
    template = project / "theme" / "templates" / "page.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "{% block content %}", "{% block content %}{{ MOLDIR_UNDEFINED.attribute.x() }}", 1
        ),
        encoding="utf-8",
    )
    before = tree(previous)
    done = failed_build(project, previous)
    assert "MOLDIR_UNDEFINED" in done.stderr
    assert_left_alone(previous, before)


# --- the search index alone ---------------------------------------------------------

FILTER_VALUES = [f"Body {letter}" for letter in "ABCDEFGHIJ"]


def write_pages(site: Path, order: list[int]) -> None:
    """Twelve pages in two languages, with four filters of many values and sort keys
    with ties, written in ``order``."""
    for number in order:
        lang = "en" if number % 2 else "ru"
        page = site / lang / f"page-{number:02d}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        filters = "".join(
            f'<span data-pagefind-filter="{name}">{FILTER_VALUES[(number + shift) % 10]}</span>'
            for shift, name in enumerate(("body", "region", "topic", "type"))
        )
        page.write_text(
            f'<!DOCTYPE html><html lang="{lang}"><head><title>{number}</title></head><body>'
            f"<main data-pagefind-body><h1>Page {number} citizens received</h1>{filters}"
            f'<span data-pagefind-sort="date">2024-0{number % 3 + 1}-01</span>'
            f"<p>Appeals of {FILTER_VALUES[number % 10]} in {2000 + number}.</p></main>"
            "</body></html>",
            encoding="utf-8",
        )


def bundle_of(site: Path) -> dict[str, bytes]:
    bundle = site / BUNDLE_DIR
    return {
        p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()
    }


def test_the_search_index_is_the_same_whatever_the_order_and_the_run(tmp_path: Path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_pages(first, list(range(12)))
    write_pages(second, list(reversed(range(12))))
    build_index(first)
    build_index(second)
    bundle = bundle_of(first)
    assert bundle == bundle_of(second)
    build_index(first)  # again, over its own bundle: the same files, nothing left over
    assert bundle_of(first) == bundle
    # Every index file is named by Pagefind's hash of its content, the reordered ones too.
    meta = [name for name in bundle if name.endswith(".pf_meta")]
    assert len(meta) == 2 and len([n for n in bundle if n.startswith("filter/")]) == 8
    for name, data in bundle.items():
        if name.endswith((".pf_meta", ".pf_filter", ".pf_index", ".pf_fragment")):
            stem = name.rsplit("/", 1)[-1].removesuffix("." + name.rsplit(".", 1)[-1])
            stem = stem.removeprefix("pagefind.")
            lang, digest = stem.split("_", 1)
            payload = gzip.decompress(data)[len(PAGEFIND_MARK) :]
            assert pagefind_hash(payload).startswith(digest), name
            assert len(digest) == (len(lang) + 8 if name.endswith(".pf_meta") else 7), name
    # Filter values come in order, as the search page lists them.
    values = [value for value, _ in unpack(bundle[next(n for n in bundle if "filter/" in n)])[1]]
    assert values == sorted(values) and len(values) > 3
    entry = json.loads(bundle["pagefind-entry.json"])
    assert list(entry["languages"]) == ["en", "ru"]


def test_a_failing_pagefind_is_a_search_index_error_and_the_old_bundle_stays(
    tmp_path: Path, monkeypatch
):
    site = tmp_path / "site"
    write_pages(site, list(range(4)))
    build_index(site)
    before = tree(site / BUNDLE_DIR)
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind broke' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(SearchIndexError, match=r"^Pagefind stopped \(exit 3\): pagefind broke$"):
        build_index(site)
    assert tree(site / BUNDLE_DIR) == before


def test_the_build_command_reports_a_search_index_error_without_a_traceback(monkeypatch):
    monkeypatch.chdir(ROOT)  # where pelicanconf.py is

    def failing_build(*args, **kwargs):
        raise SearchIndexError("Pagefind stopped (exit 3): pagefind broke")

    monkeypatch.setattr("moldir.site.build.build_site", failing_build)
    result = CliRunner().invoke(main, ["build", "--output", "never-written"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a reported error, not a crash
    assert (
        "Error: the search index could not be built: Pagefind stopped (exit 3): pagefind "
        "broke; the previous output was left untouched"
    ) in result.output
