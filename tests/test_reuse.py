"""Reusing unchanged pages (incremental/reuse.py, site/writer.py): what a template reads,
what features declare, and incremental builds that equal a clean build."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from moldir.incremental import reuse
from moldir.incremental import store as build_cache
from moldir.site.writer import template_reads

ROOT = Path(__file__).resolve().parent.parent


def environment(templates: dict[str, str]) -> Environment:
    return Environment(loader=DictLoader(templates), extensions=["jinja2.ext.i18n"])


def test_template_reads_follow_extends_includes_and_imports():
    env = environment(
        {
            "base.html": "<title>{{ SITENAME }}</title>{% block body %}{% endblock %}",
            "macros.html": "{% macro box(x) %}<b>{{ x }}{{ formats('a') }}</b>{% endmacro %}",
            "footer.html": "{{ portal.datasets|length }}",
            "article.html": (
                '{% extends "base.html" %}{% from "macros.html" import box %}'
                "{% block body %}{{ box(article.title) }}{% endblock %}"
            ),
            "page.html": '{% extends "base.html" %}{% block body %}{% include "footer.html" %}'
            "{% endblock %}",
            "dynamic.html": "{% include chosen %}",
        }
    )
    assert template_reads(env, "article.html") == {"SITENAME", "article", "formats"}
    assert "portal" in template_reads(env, "page.html")
    assert template_reads(env, "dynamic.html") is None
    assert not reuse.reusable_reads(template_reads(env, "article.html"), ())  # formats?
    reuse.reusable_globals("formats")  # whoever installs it says it reads no data
    assert reuse.reusable_reads(template_reads(env, "article.html"), ())
    assert not reuse.reusable_reads(template_reads(env, "page.html"), ())
    assert not reuse.reusable_reads(None, ())


def test_reusable_reads_allow_covered_values_and_settings_but_not_the_portal():
    assert reuse.reusable_reads(frozenset({"published", "SITEURL"}), ("published",))
    assert not reuse.reusable_reads(frozenset({"published"}), ())
    assert not reuse.reusable_reads(frozenset({"MOLDIR_PORTAL"}), ())
    assert not reuse.reusable_reads(frozenset({"moldir_portal", "article"}), ())
    # A global nobody vouched for (it may read anything) makes the page render each time.
    assert not reuse.reusable_reads(frozenset({"chart_highlights_for"}), ())


def test_the_reuse_layer_names_no_feature():
    """Features declare their globals and keyed extras (issue 18, item 3): no name of a
    feature's global or extra is written in the reuse layer's code (its docs may give
    examples)."""
    import ast

    tree = ast.parse((ROOT / "plugins" / "moldir" / "incremental" / "reuse.py").read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    texts = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]
    assert texts, "the analysis found the module's strings"
    for word in ("chart", "opendata", "history", "version_", "kind_", "label", "data_url"):
        assert not [text for text in texts if word in text], word


def test_declared_extras_are_part_of_a_datasets_key(tmp_path):
    from moldir.incremental import store as build_cache

    class Published:
        slug = "d"

        def __init__(self, extras: dict) -> None:
            self.extras = extras

    reuse.key_extras("noted")  # as a feature does for what its extras add to the pages
    store = build_cache.activate(tmp_path)
    keys = []
    try:
        store._fingerprints["d"] = "fingerprint of d"
        for extras in ({"noted": 1, "other": "x"}, {"noted": 1, "other": "y"}, {"noted": 2}):
            reuse.start(store, tmp_path / "staging", tmp_path / "output", {"theme": "t"})
            keys.append(reuse.dataset_key(Published(extras)))
            reuse.finish(saved=False)
    finally:
        build_cache.deactivate(saved=False)
    assert None not in keys
    assert keys[0] == keys[1] != keys[2]  # "other" is not declared, "noted" is


def test_the_themes_news_and_dataset_pages_are_reusable_and_the_home_page_is_not(tmp_path):
    from pelican.generators import Generator

    from moldir import connect_features
    from moldir.site.build import load_settings
    from moldir.site.plugin import install_template_helpers

    connect_features()
    settings = load_settings(ROOT / "pelicanconf.py")
    generator = Generator(
        context={},
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=str(tmp_path),
    )
    install_template_helpers(generator)
    env = generator.env
    assert reuse.reusable_reads(template_reads(env, "article.html"), ())
    assert reuse.reusable_reads(template_reads(env, "page.html"), ())
    dataset_values = ("published", "dataset", "field_constraints", "preview_rows", "page_name")
    assert reuse.reusable_reads(template_reads(env, "dataset.html"), dataset_values)
    assert not reuse.reusable_reads(template_reads(env, "index.html"), ())
    assert not reuse.reusable_reads(template_reads(env, "datasets.html"), ("page_name",))
    # The catalogue's pages are given everything they show (not the portal), under a key.
    catalogue_values = (
        "listing", "datasets_total", "facets", "facet_names", "sorts", "shown_values",
        "kind_names", "listing_url", "facet_url", "page_links", "page_name", "value_labels",
    )  # fmt: skip
    assert reuse.reusable_reads(template_reads(env, "datasets.html"), catalogue_values)
    facet_values = (*catalogue_values, "facet")
    assert reuse.reusable_reads(template_reads(env, "datasets_facet.html"), facet_values)


def test_markdown_conversions_are_reused_until_the_file_changes(tmp_path):
    from pelican.readers import MarkdownReader

    from moldir.incremental import markdown as markdown_cache
    from moldir.site.build import load_settings
    from moldir.site.markdown import CachingMarkdownReader

    settings = load_settings(ROOT / "pelicanconf.py")
    article = tmp_path / "a.md"
    article.write_text("Title: Budget\nSummary: The *short* text\n\nThe **long** text.\n")
    plain = MarkdownReader(settings).read(str(article))
    markdown_cache.start(tmp_path / "cache", "frame")
    try:
        reader = CachingMarkdownReader(settings)
        first, second = reader.read(str(article)), reader.read(str(article))
        assert markdown_cache.active().hits == 1
        assert first == second == plain
        assert "<strong>long</strong>" in first[0] and "<em>short</em>" in first[1]["summary"]
        article.write_text("Title: Budget 2027\n\nNew text.\n")
        touch_later(article)
        assert reader.read(str(article))[1]["title"] == "Budget 2027"
    finally:
        markdown_cache.finish(saved=True)
    markdown_cache.start(tmp_path / "cache", "frame")  # the next build reads the saved one
    try:
        CachingMarkdownReader(settings).read(str(article))
        assert markdown_cache.active().hits == 1
    finally:
        markdown_cache.finish(saved=False)


def touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def differences(left: Path, right: Path) -> list[str]:
    """Relative paths whose presence or bytes differ between two output folders."""
    found = []
    comparison = filecmp.dircmp(left, right)
    pending = [(comparison, "")]
    while pending:
        current, prefix = pending.pop()
        found += [prefix + name for name in current.left_only + current.right_only]
        _same, changed, errors = filecmp.cmpfiles(
            current.left, current.right, current.common_files, shallow=False
        )
        found += [prefix + name for name in changed + errors]
        pending += [(sub, f"{prefix}{name}/") for name, sub in current.subdirs.items()]
    return sorted(found)


def test_one_dataset_changed_renders_its_own_files_and_equals_a_clean_build(
    project_copy, monkeypatch
):
    from moldir import connect_features
    from moldir.site.build import build_site

    connect_features()
    # The about page is made to read the portal: it must then never be reused.
    about = project_copy / "theme" / "templates" / "page.html"
    about.write_text(
        about.read_text().replace(
            "{% block content %}",
            '{% block content %}<p id="count">{{ MOLDIR_PORTAL.datasets|length }}</p>',
            1,
        )
    )
    settings_file = project_copy / "pelicanconf.py"
    output = project_copy / "output"
    first = build_site(settings_file, output)
    assert first.rendered > 0 and first.reused == 0

    rendered: list[str] = []  # files that could have been reused and were rendered
    always: list[str] = []  # files rendered on every build
    real = reuse.PageReuse.record

    def spy(self, files_key, key, written):
        (rendered if key is not None else always).extend(written)
        return real(self, files_key, key, written)

    monkeypatch.setattr(reuse.PageReuse, "record", spy)
    table = project_copy / "datasets" / "blog-requests" / "requests.csv"
    table.write_text(table.read_text().replace(",2020,124\n", ",2020,125\n", 1))
    second = build_site(settings_file, output)
    assert second.reused > second.rendered > 0
    # Of the pages that can be reused, only the changed dataset's (pages of every
    # language, charts, downloads), the appeals topic page it belongs to and the
    # catalogue's pages that list it were rendered.
    assert rendered

    def catalogue_page(path: str) -> bool:
        path = path.removeprefix("ru/").removeprefix("en/")
        return path == "datasets/index.html" or path.startswith("datasets/browse/")

    outside = [
        path
        for path in rendered
        if "blog-requests" not in path
        and path.removeprefix("ru/").removeprefix("en/") != "appeals/index.html"
        and not catalogue_page(path)
    ]
    assert outside == []
    listing_it = [path for path in rendered if catalogue_page(path)]
    assert listing_it and all(
        "/datasets/blog-requests/" in (output / path).read_text() for path in listing_it
    )
    every_catalogue_page = [str(path.relative_to(output)) for path in output.rglob("index.html")]
    assert len([p for p in every_catalogue_page if catalogue_page(p)]) > len(listing_it)
    # The about page reads the portal: rendered again, never reused.
    assert any(path.endswith("about/index.html") for path in always)

    # An article changed: the news pages are rendered again, the datasets' are reused.
    rendered.clear()
    article = next((project_copy / "content" / "articles").glob("*.md"))
    article.write_text(article.read_text() + "\nOne more sentence.\n")
    build_site(settings_file, output)
    assert any(path.startswith(("news/", "ru/news/", "en/news/")) for path in rendered)
    assert not any("datasets/" in path for path in rendered)

    # Whatever was reused, the result is the clean build's, byte for byte, the search
    # index included (Pagefind is given the pages in path order, docs/search.md).
    clean = build_site(settings_file, project_copy / "clean", use_cache=False)
    assert differences(output, clean.output) == []
    assert "125" in (output / "datasets" / "blog-requests" / "requests.csv").read_text()


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        str(path.relative_to(folder)): (
            path.stat().st_mtime_ns,
            path.stat().st_ino,
            path.read_bytes(),
        )
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_a_build_failing_after_pages_were_linked_leaves_the_output_untouched(project_copy):
    from moldir import connect_features
    from moldir.pipeline import signals
    from moldir.site.build import build_site

    connect_features()
    settings_file = project_copy / "pelicanconf.py"
    output = project_copy / "output"
    build_site(settings_file, output)
    before = snapshot(output)
    touch_later(project_copy / "datasets" / "blog-requests" / "requests.csv")

    def fail(staging, **_):
        # Every Pelican run is over: pages have been linked from output/ by now.
        assert any(path.stat().st_nlink > 1 for path in staging.rglob("*.html"))
        raise RuntimeError("search index failed")

    signals.site_built.connect(fail)
    try:
        with pytest.raises(RuntimeError, match="search index failed"):
            build_site(settings_file, output)
    finally:
        signals.site_built.disconnect(fail)
    assert snapshot(output) == before
    assert not list(project_copy.glob(".output.building-*"))


def test_the_next_day_renders_only_the_pages_of_the_day_and_equals_a_clean_build(
    project_copy, monkeypatch
):
    """The build date is not in the frames (fingerprints.py): the first build of a new day,
    the one a portal rebuilt nightly always makes, renders again only the pages that show
    what the day changes (receptions of the next weeks, overdue commitments) and the pages
    rendered every time; datasets are not read again."""
    from moldir import connect_features
    from moldir.site.build import build_site

    connect_features()
    settings_file = project_copy / "pelicanconf.py"
    output = project_copy / "output"
    build_site(settings_file, output, {"MOLDIR_TODAY": "2026-03-02"})
    receptions_before = (output / "receptions" / "index.html").read_text()
    assert build_site(settings_file, output, {"MOLDIR_TODAY": "2026-03-02"}).unchanged

    rendered: list[str] = []
    real = reuse.PageReuse.record

    def spy(self, files_key, key, written):
        if key is not None:
            rendered.extend(written)
        return real(self, files_key, key, written)

    monkeypatch.setattr(reuse.PageReuse, "record", spy)
    computed: list[str] = []
    real_part = build_cache.BuildCache._part

    def counting(self, slug, fingerprint, part, compute):
        def spied():
            computed.append(f"{slug} {part}")
            return compute()

        return real_part(self, slug, fingerprint, part, spied)

    monkeypatch.setattr(build_cache.BuildCache, "_part", counting)
    next_day = build_site(settings_file, output, {"MOLDIR_TODAY": "2026-03-03"})
    assert not next_day.unchanged
    assert computed == []  # every dataset's validation, tables and charts from the cache
    assert next_day.reused > next_day.rendered

    def of_the_day(path: str) -> bool:
        return (
            path.removeprefix("ru/").removeprefix("en/").startswith(("receptions/", "commitments/"))
        )

    assert [path for path in rendered if not of_the_day(path)] == []
    assert any(path.startswith("receptions/") for path in rendered)
    assert (output / "receptions" / "index.html").read_text() != receptions_before

    clean = build_site(
        settings_file, project_copy / "clean", {"MOLDIR_TODAY": "2026-03-03"}, use_cache=False
    )
    assert differences(output, clean.output) == []
