"""Reusing unchanged pages (reuse.py): what a template reads, and incremental builds that
equal a clean build."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from moldir.incremental import reuse

ROOT = Path(__file__).resolve().parent.parent


def environment(templates: dict[str, str]) -> Environment:
    return Environment(loader=DictLoader(templates), extensions=["jinja2.ext.i18n"])


def test_template_reads_follow_extends_includes_and_imports():
    env = environment(
        {
            "base.html": "<title>{{ SITENAME }}</title>{% block body %}{% endblock %}",
            "macros.html": "{% macro box(x) %}<b>{{ x }}{{ data_url('a') }}</b>{% endmacro %}",
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
    assert reuse.template_reads(env, "article.html") == {"SITENAME", "article", "data_url"}
    assert "portal" in reuse.template_reads(env, "page.html")
    assert reuse.template_reads(env, "dynamic.html") is None
    assert reuse.reusable_reads(reuse.template_reads(env, "article.html"), ())
    assert not reuse.reusable_reads(reuse.template_reads(env, "page.html"), ())
    assert not reuse.reusable_reads(None, ())


def test_reusable_reads_allow_covered_values_and_settings_but_not_the_portal():
    assert reuse.reusable_reads(frozenset({"published", "SITEURL"}), ("published",))
    assert not reuse.reusable_reads(frozenset({"published"}), ())
    assert not reuse.reusable_reads(frozenset({"MOLDIR_PORTAL"}), ())
    assert not reuse.reusable_reads(frozenset({"moldir_portal", "article"}), ())
    # A global nobody vouched for (it may read anything) makes the page render each time.
    assert not reuse.reusable_reads(frozenset({"chart_highlights_for"}), ())


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
    assert reuse.reusable_reads(reuse.template_reads(env, "article.html"), ())
    assert reuse.reusable_reads(reuse.template_reads(env, "page.html"), ())
    dataset_values = ("published", "dataset", "field_constraints", "preview_rows", "page_name")
    assert reuse.reusable_reads(reuse.template_reads(env, "dataset.html"), dataset_values)
    assert not reuse.reusable_reads(reuse.template_reads(env, "index.html"), ())
    assert not reuse.reusable_reads(reuse.template_reads(env, "datasets.html"), ("page_name",))


def test_markdown_conversions_are_reused_until_the_file_changes(tmp_path):
    from moldir.site import markdown as markdown_cache
    from moldir.site.build import load_settings

    settings = load_settings(ROOT / "pelicanconf.py")
    article = tmp_path / "a.md"
    article.write_text("Title: Budget\nSummary: The *short* text\n\nThe **long** text.\n")
    plain = markdown_cache.MarkdownReader(settings).read(str(article))
    markdown_cache.start(tmp_path / "cache", "frame")
    try:
        reader = markdown_cache.CachingMarkdownReader(settings)
        first, second = reader.read(str(article)), reader.read(str(article))
        assert markdown_cache._ACTIVE.hits == 1
        assert first == second == plain
        assert "<strong>long</strong>" in first[0] and "<em>short</em>" in first[1]["summary"]
        article.write_text("Title: Budget 2027\n\nNew text.\n")
        touch_later(article)
        assert reader.read(str(article))[1]["title"] == "Budget 2027"
    finally:
        markdown_cache.finish(saved=True)
    markdown_cache.start(tmp_path / "cache", "frame")  # the next build reads the saved one
    try:
        markdown_cache.CachingMarkdownReader(settings).read(str(article))
        assert markdown_cache._ACTIVE.hits == 1
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
    # language, charts, downloads) and the appeals topic page it belongs to were rendered.
    assert rendered
    outside = [
        path
        for path in rendered
        if "blog-requests" not in path
        and path.removeprefix("ru/").removeprefix("en/") != "appeals/index.html"
    ]
    assert outside == []
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
    monkeypatch.setenv("MOLDIR_NO_CACHE", "1")
    clean = build_site(settings_file, project_copy / "clean")
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
