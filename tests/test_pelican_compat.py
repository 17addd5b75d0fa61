"""Contract tests of the Pelican and Jinja internals Moldir relies on (site/pelican_compat.py).

Each test exercises one internal the way Moldir uses it; on a release that changed it, the
failure says which internal and what to do, instead of a build that breaks far away.
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from pelican.contents import Article
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from pelican.writers import Writer

from moldir.features.kinds import name_slug
from moldir.site import pelican_compat

UPGRADE = "Pelican or Jinja changed an internal Moldir uses: adapt site/pelican_compat.py"


def in_range(installed: str, spec: str) -> bool:
    """``installed`` ("4.12.0") within ``spec`` (">=4.11,<4.13"), release numbers only."""

    def numbers(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in text.split(".") if part.isdigit())

    checks = {">=": lambda a, b: a >= b, "<": lambda a, b: a < b}
    for clause in spec.split(","):
        operator = ">=" if clause.startswith(">=") else "<"
        bound = numbers(clause.removeprefix(operator))
        if not checks[operator](numbers(installed)[: len(bound)], bound):
            return False
    return True


def settings(**overrides) -> dict:
    return {**DEFAULT_CONFIG, **overrides}


def test_installed_releases_are_the_tested_ones():
    """The pins of pyproject.toml are what this file tests: a release outside them is untested."""
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text("utf-8")
    for name, spec in pelican_compat.TESTED.items():
        assert f'"{name}{spec}"' in pyproject, f"pyproject.toml does not pin {name}{spec}"
        assert in_range(version(name), spec), (
            f"{name} {version(name)} is installed, outside the tested {spec}: run this file "
            "and widen TESTED and the pin in pyproject.toml together"
        )


def test_version_ranges():
    assert in_range("4.12.0", ">=4.11,<4.13") and in_range("4.11", ">=4.11,<4.13")
    assert not in_range("4.13.0", ">=4.11,<4.13") and not in_range("4.10.2", ">=4.11,<4.13")
    assert in_range("3.1.6", ">=3.1,<3.2") and not in_range("3.2.0", ">=3.1,<3.2")


def test_no_problems_with_the_installed_releases():
    assert pelican_compat.problems() == [], UPGRADE
    pelican_compat.check()


def test_check_names_what_changed(monkeypatch):
    monkeypatch.setattr(pelican_compat, "problems", lambda: ["pelican.writers.Writer._open_w"])
    with pytest.raises(RuntimeError, match=r"tested: pelican>=.*Writer\._open_w"):
        pelican_compat.check()


def test_writer_calls_the_opening_hook_before_each_file(tmp_path: Path):
    opened: list[tuple[str, bool]] = []

    class Recording(pelican_compat.OpeningWriter):
        def opening(self, filename: str) -> None:
            opened.append((filename, Path(filename).exists()))

    writer = Recording(str(tmp_path), settings=settings())
    template = Environment(loader=DictLoader({"t.html": "{{ text }}"})).get_template("t.html")
    writer.write_file("a/index.html", template, {}, text="hello")
    target = tmp_path / "a" / "index.html"
    assert opened == [(str(target), False)], f"{UPGRADE}: Writer._open_w is not called as before"
    assert target.read_text(encoding="utf-8") == "hello"
    assert issubclass(Recording, Writer)


def test_markdown_reader_internals_make_the_same_metadata(tmp_path: Path):
    source = tmp_path / "post.md"
    source.write_text("Title: Hello\nSummary: *short*\nTags: a, b\n\nText\n", encoding="utf-8")
    reader = MarkdownReader(settings(PATH=str(tmp_path)))
    expected_html, expected = MarkdownReader(settings(PATH=str(tmp_path))).read(str(source))

    markdown = pelican_compat.markdown_for(reader, str(source))
    html = markdown.convert(source.read_text(encoding="utf-8"))
    raw = {name: list(values) for name, values in markdown.Meta.items()}
    metadata = pelican_compat.markdown_metadata(reader, raw)

    assert html == expected_html, f"{UPGRADE}: MarkdownReader._md"
    assert metadata["title"] == expected["title"] == "Hello"
    assert metadata["summary"] == expected["summary"], f"{UPGRADE}: MarkdownReader._parse_metadata"
    assert [str(tag) for tag in metadata["tags"]] == ["a", "b"]


def test_content_html_and_summary_replaced_at_init(tmp_path: Path):
    article = Article(
        "<p>raw</p>",
        metadata={"title": "T", "summary": "<b>raw summary</b>", "date": dt.datetime(2024, 1, 1)},
        settings=settings(),
        source_path=str(tmp_path / "t.md"),
    )
    assert pelican_compat.content_html(article) == "<p>raw</p>", f"{UPGRADE}: Content._content"
    pelican_compat.set_content_html(article, "<p>clean</p>")
    article.metadata["summary"] = "clean summary"
    pelican_compat.set_summary(article, "clean summary")
    article.refresh_metadata_intersite_links()
    assert article.content == "<p>clean</p>", f"{UPGRADE}: Content.get_content reads _content"
    assert article.summary == "clean summary", f"{UPGRADE}: Content._summary"


def test_generator_context_holds_the_generator_lists(tmp_path: Path):
    """The language fallback replaces items of ``generator.pages`` in place: Pelican's
    context must hold the very same list after ``page_generator_finalized``."""
    from pelican import signals
    from pelican.generators import PagesGenerator

    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "about.md").write_text("Title: About\n\nText\n", encoding="utf-8")
    run = settings(PATH=str(content), OUTPUT_PATH=str(tmp_path / "out"), CACHE_CONTENT=False)
    seen = []

    def finalized(generator) -> None:
        seen.append(generator.context["pages"] is generator.pages)
        pelican_compat.replace_items(generator.pages, [])

    signals.page_generator_finalized.connect(finalized)
    try:
        context = {**run, "generated_content": {}, "static_links": set(), "static_content": {}}
        generator = PagesGenerator(
            context=context,
            settings=run,
            path=str(content),
            theme=run["THEME"],
            output_path=run["OUTPUT_PATH"],
        )
        generator.generate_context()
    finally:
        signals.page_generator_finalized.disconnect(finalized)
    assert seen == [True], f"{UPGRADE}: the context no longer holds generator.pages"
    assert context["pages"] == []


def test_jinja_resolved_names_include_globals():
    env = Environment(loader=DictLoader({}))
    env.globals["portal_reader"] = lambda: None
    tree = env.parse("{% set x = 1 %}{{ x }}{{ title }}{{ portal_reader() }}{{ range(2) }}")
    names = pelican_compat.resolved_names(env, tree)
    assert {"title", "portal_reader", "range"} <= names, f"{UPGRADE}: Jinja CodeGenerator frames"
    assert "x" not in names


@pytest.mark.parametrize(
    "name",
    ["Әкімдік №2", "Ministry of Finance (MoF)", "  Акимат г. Алматы  ", "<b>Body</b> – x", "ǅ"],
)
def test_name_slug_is_pelicans_slugify(name: str):
    """Kinds make slugs without Pelican; the addresses must stay what Pelican made."""
    subs = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"[-\s]+", "-")]
    assert name_slug(name) == slugify(name, regex_subs=subs)
