"""“You asked — we answered” (moldir.features.answers): reading and checking the answers of
content/answers/, and their pages in a real Pelican build of the example portal."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from moldir.features.answers import InvalidAnswers, load_answers
from moldir.features.answers.pages import template_helpers
from moldir.features.kinds.topics import TOPICS
from moldir.pipeline.pages import BuildContext

LANGS = ("kk", "ru", "en")

GOOD = """Title: {title}
Slug: hot-water
Question: The hot water has been off for three weeks.
Body: akimat-of-astana
Body-Name: {name}
Topic: housing-and-utilities
Date: 2026-10-14
Asked: 2026-10-02

{text}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / "content" / "answers" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(project: Path):
    return load_answers(project / "content" / "answers", LANGS, "kk", project)


def errors_of(project: Path) -> dict[str, list[str]]:
    with pytest.raises(InvalidAnswers) as raised:
        load(project)
    found: dict[str, list[str]] = {}
    for error in raised.value.report.errors:
        assert error.type == "content-error"
        found.setdefault(error.file, []).append(error.message)
    return found


# --- reading ---------------------------------------------------------------------------


def test_language_versions_and_fallback(tmp_path):
    write(tmp_path, "hot-water.md", GOOD.format(title="Why?", name="Akimat of Astana", text="A"))
    write(tmp_path, "hot-water.ru.md", GOOD.format(title="Почему?", name="Акимат", text="Б"))
    answers = load(tmp_path)
    assert len(answers.versions) == 2
    (ru,) = answers.in_language("ru")
    assert (ru.lang, ru.title, ru.slug, ru.url) == (
        "ru",
        "Почему?",
        "hot-water",
        "answers/hot-water/",
    )
    assert ru.languages == ("kk", "ru")  # the file without a suffix is in the root language
    # Kazakh: the original (no suffix); English has no version: the original too.
    assert answers.in_language("kk")[0].title == "Why?"
    assert answers.in_language("en")[0].original
    assert ru.days == 12 and ru.date == dt.date(2026, 10, 14)
    assert answers.body_names("ru") == {"akimat-of-astana": "Акимат"}


def test_matching_by_topic_and_by_body_slug_or_name(tmp_path):
    write(tmp_path, "hot-water.md", GOOD.format(title="Q", name="Akimat of Astana", text="A"))
    answers = load(tmp_path)
    assert [a.slug for a in answers.matching("kk", topic="housing-and-utilities")] == ["hot-water"]
    assert answers.matching("kk", topic="health") == []
    # A dataset's body column passes the name as it writes it.
    for body in ("akimat-of-astana", "Akimat of Astana", "AKIMAT OF ASTANA"):
        assert [a.slug for a in answers.matching("kk", body=body)] == ["hot-water"]
    assert answers.matching("kk", body="Akimat of Almaty") == []
    (topic,) = answers.by_topic("en")
    assert (topic.key, topic.label, topic.url) == (
        "housing-and-utilities",
        TOPICS["housing-and-utilities"].en,
        "answers/topic/housing-and-utilities/",
    )
    (body,) = answers.by_body("en")
    assert (body.label, body.url) == ("Akimat of Astana", "answers/body/akimat-of-astana/")


def test_answers_for_helper_reads_the_runs_language(tmp_path):
    write(tmp_path, "hot-water.md", GOOD.format(title="Q", name="Akimat of Astana", text="A"))
    write(tmp_path, "hot-water.ru.md", GOOD.format(title="В", name="Акимат", text="О"))
    context = BuildContext(
        lang="ru",
        languages=LANGS,
        root_lang="kk",
        lang_prefix="ru",
        translations=None,  # type: ignore[arg-type] - not read
        output_path=tmp_path / "output" / "ru",
        settings={"PATH": str(tmp_path / "content")},
    )
    answers_for = template_helpers(context).globals["answers_for"]
    assert [a.title for a in answers_for(topic="housing-and-utilities")] == ["В"]
    assert [a.title for a in answers_for(body="Akimat of Astana", limit=1)] == ["В"]
    assert answers_for() == []
    assert answers_for(topic="health") == []


def test_no_folder_means_no_answers(tmp_path):
    assert not load(tmp_path)


def test_markdown_is_sanitised_and_front_matter_is_text(tmp_path):
    text = (
        "Fine.\n\n<script>alert(1)</script>\n\n"
        "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    write(tmp_path, "x.md", GOOD.format(title="<b>Q</b>", name="<i>A</i>", text=text))
    (answer,) = load(tmp_path).in_language("kk")
    html = str(answer.html)
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert "<p>Fine.</p>" in html
    assert answer.title == "<b>Q</b>"  # plain text: escaped by the templates


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("Topic: housing-and-utilities", "Topic: heating"), "Topic 'heating' is not in the list"),
        (("Body: akimat-of-astana", "Body: Akimat of Astana"), "is not a body's slug"),
        (("Date: 2026-10-14", "Date: 14.10.2026"), "'Date: 14.10.2026' is not a date"),
        (("Asked: 2026-10-02", "Asked: 2026-11-02"), "'Asked:' is later than 'Date:'"),
        (("Slug: hot-water", "Slug: Hot Water!"), "Slug 'Hot Water!' is not a valid address"),
        (("Slug: hot-water", "Slug: topic"), "Slug 'topic' is taken by the lists"),
        (("Topic: housing-and-utilities", "Topik: housing-and-utilities"), "Unknown front matter"),
        (("Body: akimat-of-astana\n", ""), "'Body:' is missing or empty"),
        (("Date: 2026-10-14", "Date: 2026-10-14\nLang: de"), "Language 'de' is not one of"),
    ],
)
def test_bad_front_matter_is_an_error_naming_the_file(tmp_path, change, expected):
    text = GOOD.format(title="Q", name="N", text="A").replace(*change)
    write(tmp_path, "ok.md", GOOD.format(title="Q2", name="N", text="A").replace("hot-water", "ok"))
    write(tmp_path, "bad.md", text)
    found = errors_of(tmp_path)
    assert list(found) == ["content/answers/bad.md"], found
    assert any(expected in message for message in found["content/answers/bad.md"]), found


def test_every_problem_of_every_file_at_once(tmp_path):
    write(tmp_path, "a.md", "no front matter here\n")
    write(tmp_path, "b.ru.md", "Title: T\nLang: kk\nBody: x\nTopic: land\nDate: 2026-01-01\n\nA\n")
    write(tmp_path, "c.md", "Title: T\nBody: x\nTopic: land\nDate: 2026-01-01\n\n")
    (tmp_path / "content" / "answers" / "d.md").write_bytes(b"Title: \xff\n")
    found = errors_of(tmp_path)
    assert set(found) == {f"content/answers/{n}" for n in ("a.md", "b.ru.md", "c.md", "d.md")}
    assert "differs from the file name's language" in found["content/answers/b.ru.md"][0]
    assert "is empty" in found["content/answers/c.md"][0]
    assert "not UTF-8" in found["content/answers/d.md"][0]


def test_language_versions_must_agree(tmp_path):
    write(tmp_path, "hot-water.md", GOOD.format(title="Q", name="N", text="A"))
    other = GOOD.format(title="Q", name="N", text="A").replace("housing-and-utilities", "health")
    write(tmp_path, "hot-water.ru.md", other)
    write(tmp_path, "again.md", GOOD.format(title="Q", name="N", text="A"))  # same slug, kk
    found = errors_of(tmp_path)
    messages = [m for ms in found.values() for m in ms]
    assert any("Topic 'health' differs" in m or "Topic 'housing" in m for m in messages)
    assert any("is also in" in m for m in messages)


def test_the_example_answers_are_valid_and_illustrative():
    root = Path(__file__).resolve().parents[1]
    answers = load(root)
    assert len(answers.in_language("kk")) >= 4
    for answer in answers.versions:
        assert answer.lang in LANGS
        assert answer.topic in TOPICS
        # Each says plainly that it is an example, in its own language.
        first = str(answer.html).split("</p>")[0].lower()
        assert any(word in first for word in ("illustrative", "көрнекі", "иллюстративный"))
    for answer in answers.in_language("kk"):
        assert answer.languages == LANGS, answer.slug


def test_an_invalid_answer_stops_the_build(project_copy):
    from moldir import connect_features
    from moldir.site.build import build_site

    connect_features()
    # One small dataset keeps the build short.
    for folder in (project_copy / "datasets").iterdir():
        if folder.is_dir() and folder.name != "question-answer-service":
            shutil.rmtree(folder)
    answers = project_copy / "content" / "answers"
    bad = answers / "heating-season-start.ru.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("housing-and-utilities", "heat"))
    output = project_copy / "output"
    with pytest.raises(InvalidAnswers) as raised:
        build_site(project_copy / "pelicanconf.py", output)
    (error,) = raised.value.report.errors
    assert error.file == "content/answers/heating-season-start.ru.md"
    assert "Topic 'heat'" in error.message
    assert not output.exists()


# --- the built example portal ------------------------------------------------------------


def example_slugs() -> list[str]:
    root = Path(__file__).resolve().parents[1]
    return [a.slug for a in load(root).in_language("kk")]


@pytest.mark.parametrize("prefix", ["", "ru/", "en/"])
def test_answer_pages_in_every_language(built, prefix):
    site = type(built)(built.root / prefix) if prefix else built
    lang = prefix.rstrip("/") or "kk"
    index = site.html("/answers/")
    assert index.html["lang"] == lang
    main = index.find("main")
    assert main.has_attr("data-pagefind-body")
    assert main.find("h1").get_text(strip=True)
    # Every link of the index (topics, bodies, answers) leads to a built page.
    links = {a["href"] for a in main.find_all("a") if "answers/" in a["href"]}
    assert len(links) >= 2 * len(example_slugs())
    for href in links:
        path = href.split("answers/", 1)[1]
        assert (site.root / "answers" / path / "index.html").is_file(), href
    for slug in example_slugs():
        page = site.html(f"/answers/{slug}/")
        assert page.html["lang"] == lang
        article = page.find("main").find("article")
        assert article.get("lang") is None, slug  # every example is in every language
        assert page.find("main").has_attr("data-pagefind-body")
        assert [h.name for h in page.find("main").find_all(["h1", "h2"])][:3] == ["h1", "h2", "h2"]
        assert article.find("time")["datetime"]


def test_lists_by_topic_and_body(built_en):
    page = built_en.html("/answers/topic/housing-and-utilities/")
    assert page.find("h1").get_text(strip=True) == "Answers on “Housing and utilities”"
    titles = [h.get_text(strip=True) for h in page.find("main").find_all("h2")]
    assert "Why was our building still without heating in mid-October?" in titles
    page = built_en.html("/answers/body/akimat-of-almaty/")
    assert "Akimat of the city of Almaty" in page.find("h1").get_text()


def test_answer_page_shows_question_body_topic_and_days(built, built_en):
    page = built_en.html("/answers/heating-season-start/")
    text = page.find("main").get_text(" ", strip=True)
    for expected in ("Akimat of the city", "Housing and utilities", "6 days after the question"):
        assert expected in text
    assert "Illustrative example" in text
    kk = built.html("/answers/heating-season-start/").find("main").get_text(" ", strip=True)
    assert "Алматы қаласының әкімдігі" in kk and "Көрнекі мысал" in kk
    assert "Тұрғын үй-коммуналдық шаруашылық" in kk


def test_answer_links_to_datasets_resolve(built):
    page = built.html("/answers/targeted-social-assistance/")
    link = page.find("main").find("a", href=lambda h: h and "datasets/blog-requests" in h)
    assert link is not None
    target = (built.root / "answers" / "targeted-social-assistance" / link["href"]).resolve()
    assert (target / "index.html").is_file()


def test_appeal_topics_link_to_their_answers(built):
    """/appeals/ links each topic of the appeals that has answers to its list of answers."""
    main = built.html("/appeals/").find("main")
    links = {
        a["href"].split("answers/topic/", 1)[1] for a in main.select("a.moldir-topic__answers")
    }
    assert {"housing-and-utilities/", "roads-and-transport/", "social-protection/"} <= links
    for code in links:
        assert (built.root / "answers" / "topic" / code / "index.html").is_file()


def test_commitments_link_to_answers_of_their_body_and_topic(built_en):
    """A commitment shows the answers on its topic, its own body's first (the example
    answer names the commitments' body as the commitments dataset writes it)."""
    section = built_en.html("/commitments/ALM-2025-001/").find(id="commitment-answers").parent
    hrefs = [a["href"] for a in section.find_all("a")]
    assert any(h.endswith("answers/heating-season-start/") for h in hrefs), hrefs
    assert any(h.endswith("answers/topic/housing-and-utilities/") for h in hrefs), hrefs


def test_answer_pages_and_pages_linking_answers_stay_reusable(tmp_path):
    """The incremental build reuses the answer pages while content/answers/ is unchanged,
    and content/answers/ is part of the theme frame, so pages calling answers_for (the
    appeal topics, commitments) are rendered again when an answer changes."""
    from pelican.generators import Generator

    from moldir import connect_features
    from moldir.incremental import fingerprints, reuse
    from moldir.site.build import load_settings
    from moldir.site.plugin import install_template_helpers
    from moldir.site.writer import template_reads

    connect_features()
    root = Path(__file__).resolve().parents[1]
    settings = load_settings(root / "pelicanconf.py")
    generator = Generator(
        context={},
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=str(tmp_path),
    )
    install_template_helpers(generator)
    values = ("answers", "topics", "bodies", "answer_date", "topic_name", "body_names")
    for template, own in (
        ("answers.html", ()),
        ("answers_list.html", ("group", "group_kind")),
        ("answer.html", ("answer", "related")),
    ):
        reads = template_reads(generator.env, template)
        assert reuse.reusable_reads(reads, (*values, *own, "page_name")), (template, reads)
    # A page importing the links macro reads only what the macro reads.
    assert template_reads(generator.env, "components/_answers_links.html") <= {
        "SITEURL",
        "DEFAULT_LANG",
        "_",
    }

    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "pelicanconf.py").write_text("")
    local = {**settings, "PATH": str(project / "content"), "THEME": settings["THEME"]}
    before = fingerprints.frame_fingerprints(project / "pelicanconf.py", local)
    write(project, "x.md", GOOD.format(title="Q", name="N", text="A"))
    after = fingerprints.frame_fingerprints(project / "pelicanconf.py", local)
    assert before["theme"] != after["theme"]
