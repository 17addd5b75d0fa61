"""“You asked — we answered”: published answers of government bodies to citizens'
questions and complaints, read from ``content/answers/`` (docs/answers.md).

Each answer is a Markdown file with front matter, one file per language version, as the
news articles are (``water-heating.kk.md``, ``water-heating.ru.md``, ``water-heating.md``):

.. code-block:: text

    Title: Why was the hot water off for three weeks in our block?
    Slug: hot-water-outage
    Question: The hot water has been off since 2 May …  (optional, the full question)
    Body: akimat-of-astana          (the body's slug, as datasets name it)
    Body-Name: Akimat of Astana     (the body's name in this language, optional)
    Topic: housing-and-utilities    (a code of moldir.features.kinds.topics)
    Date: 2026-10-14                (the day the answer was given)
    Asked: 2026-10-02               (optional: the day the question came in)
    Lang: en                        (or the file name's suffix)

    The answer, in Markdown.

Moldir reads these files itself rather than through Pelican (they are not news: they have
their own pages, lists by topic and by body, and are linked from the appeal and
commitment pages through ``answers_for``), so this module imports no Pelican and the same
reading serves the build and the tests. Everything in a file is untrusted: the answer's
HTML is sanitised like a page's (``moldir.pipeline.sanitize``), front matter is plain
text (escaped by the templates), and topic codes, body slugs, slugs, dates and languages
are checked; every problem of every file is raised at once as :class:`InvalidAnswers`
(``content-error`` entries naming the file and line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from moldir.features.kinds import name_slug
from moldir.features.kinds.topics import TOPICS, topic_label
from moldir.model.errors import ContentError
from moldir.model.report import DatasetReport, InvalidDatasets, Report, ValidationError
from moldir.pipeline.sanitize import sanitize_html

# The folder of content/ that holds the answers (next to articles/ and pages/).
ANSWERS_FOLDER = "answers"
# The address of the answer pages inside each language's site.
ANSWERS_URL = "answers"
# Slugs that the list pages use as folders under /answers/.
RESERVED_SLUGS = frozenset({"topic", "body"})
# Front matter keys (lower case) an answer may have; anything else is a typo to report.
KEYS = frozenset(
    {"title", "slug", "question", "body", "body-name", "topic", "date", "asked", "lang"}
)
REQUIRED = ("title", "body", "topic", "date")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_SUFFIX = re.compile(r"\.([a-z]{2,3})$")
_META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s*(.*)$")
# A file larger than this is not an answer (and would slow every build down).
MAX_BYTES = 200_000
MAX_SLUG = 120


class InvalidAnswers(InvalidDatasets):
    """Raised before any answer page is written when a file of content/answers/ is
    unusable; carries the report (one task per file, ``content-error`` entries)."""

    def __init__(self, report: Report):
        super().__init__(report)
        count = len(report.errors)
        self.args = (
            f"{count} error{'s' if count != 1 else ''} in content/{ANSWERS_FOLDER}/; "
            "nothing was built",
        )


@dataclass(frozen=True)
class Answer:
    """One language version of a published answer."""

    slug: str
    lang: str
    title: str
    question: str
    html: Markup
    body: str
    """The answering body's slug (stable across languages)."""
    body_name: str
    topic: str
    date: dt.date
    asked: dt.date | None
    source: str
    """The file, relative to the project (for messages)."""
    original: bool = True
    """True for a file without a language suffix (the fallback of languages without one)."""
    languages: tuple[str, ...] = ()
    """Every language this answer is published in."""

    @property
    def url(self) -> str:
        """The answer's address inside a language site ("answers/<slug>/")."""
        return f"{ANSWERS_URL}/{self.slug}/"

    @property
    def topic_url(self) -> str:
        return topic_url(self.topic)

    @property
    def body_url(self) -> str:
        return body_url(self.body)

    @property
    def days(self) -> int | None:
        """Calendar days from the question to the answer, when both days are given."""
        return (self.date - self.asked).days if self.asked else None


def topic_url(code: str) -> str:
    """The list of answers on a topic ("answers/topic/<code>/")."""
    return f"{ANSWERS_URL}/topic/{code}/"


def body_url(slug: str) -> str:
    """The list of answers of a body ("answers/body/<slug>/")."""
    return f"{ANSWERS_URL}/body/{slug}/"


@dataclass(frozen=True)
class Group:
    """Answers sharing a topic or a body, newest first."""

    key: str
    label: str
    url: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Answers:
    """Every answer of the portal, each in every language it is written in."""

    versions: tuple[Answer, ...] = ()
    key: str = ""
    """A digest of the files (the answer pages' reuse key)."""
    _by_lang: dict[str, tuple[Answer, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.versions)

    def in_language(self, lang: str) -> tuple[Answer, ...]:
        """One version of each answer for a ``lang`` site, newest first: the version in
        ``lang``; without one, the original (the file without a language suffix), else
        the first version found (its ``lang`` tells the template to mark the passage)."""
        if lang not in self._by_lang:
            chosen: dict[str, Answer] = {}
            for answer in self.versions:
                current = chosen.get(answer.slug)
                if current is None or _preference(answer, lang) < _preference(current, lang):
                    chosen[answer.slug] = answer
            self._by_lang[lang] = tuple(
                sorted(chosen.values(), key=lambda a: (a.date, a.slug), reverse=True)
            )
        return self._by_lang[lang]

    def body_names(self, lang: str) -> dict[str, str]:
        """Each body's name in ``lang`` (from its answers in that language, else any)."""
        names: dict[str, str] = {}
        for answer in sorted(self.versions, key=lambda a: _preference(a, lang)):
            if answer.body_name:
                names.setdefault(answer.body, answer.body_name)
        return names

    def matching(
        self, lang: str, topic: str | None = None, body: str | None = None
    ) -> list[Answer]:
        """The answers of a ``lang`` site on ``topic`` (a code) and/or from ``body`` (a
        slug or the body's name in any language, as a dataset writes it)."""
        found = list(self.in_language(lang))
        if topic:
            found = [a for a in found if a.topic == topic]
        if body:
            wanted = name_slug(str(body))
            aliases = self._body_aliases()
            found = [a for a in found if wanted in aliases.get(a.body, {a.body})]
        return found

    def _body_aliases(self) -> dict[str, set[str]]:
        aliases: dict[str, set[str]] = {}
        for answer in self.versions:
            names = aliases.setdefault(answer.body, {answer.body})
            if answer.body_name:
                names.add(name_slug(answer.body_name))
        return aliases

    def by_topic(self, lang: str) -> list[Group]:
        """Answers grouped by topic, in the order of the topic list."""
        answers = self.in_language(lang)
        return [
            Group(code, topic_label(code, lang), topic_url(code), group)
            for code in TOPICS
            if (group := tuple(a for a in answers if a.topic == code))
        ]

    def by_body(self, lang: str) -> list[Group]:
        """Answers grouped by body, bodies in the alphabetical order of their names."""
        answers = self.in_language(lang)
        names = self.body_names(lang)
        groups = [
            Group(slug, names.get(slug, slug), body_url(slug), group)
            for slug in {a.body for a in answers}
            if (group := tuple(a for a in answers if a.body == slug))
        ]
        return sorted(groups, key=lambda g: g.label.casefold())


def _preference(answer: Answer, lang: str) -> tuple[int, str]:
    """Lower is better: the run's language, then the original, then any other."""
    if answer.lang == lang:
        return (0, answer.lang)
    return (1 if answer.original else 2, answer.lang)


# --- reading ---------------------------------------------------------------------------


def answers_folder(settings: Mapping[str, Any]) -> Path:
    """content/answers/ of a build (Pelican's ``PATH`` is the content folder)."""
    return Path(str(settings.get("PATH") or "content")) / ANSWERS_FOLDER


def load_answers(
    folder: Path, languages: Iterable[str], root_lang: str, project: Path | None = None
) -> Answers:
    """Every answer in ``folder`` (``*.md``, sub-folders too), checked; raises
    :class:`InvalidAnswers` naming each file with a problem. No folder, no answers.

    ``languages`` are the portal's; a file without a language is in ``root_lang``.
    ``project`` is the folder the files are named relative to in messages.
    """
    if not folder.is_dir():
        return Answers()
    files = sorted(p for p in folder.rglob("*.md") if p.is_file())
    listing = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _load(listing, tuple(languages), root_lang, str(project or folder.parent.parent))


@lru_cache(maxsize=8)
def _load(
    listing: tuple[tuple[str, int, int], ...],
    languages: tuple[str, ...],
    root_lang: str,
    project: str,
) -> Answers:
    # Read once per build (every language run and template helper asks): the cache key is
    # the files' names, times and sizes, so an edited file is read again.
    problems = Problems(Path(project))
    versions: list[Answer] = []
    contents: list[tuple[str, bytes]] = []
    for name, _mtime, _size in listing:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as error:
            problems.add(path, f"The file cannot be read: {error.strerror or error}.")
            continue
        contents.append((problems.relative(path), data))
        answer = read_answer(path, data, languages, root_lang, problems)
        if answer is not None:
            versions.append(answer)
    versions = check_together(versions, problems)
    if problems.errors:
        raise InvalidAnswers(problems.report())
    # Each version knows every language its answer is in (the page offers them).
    spoken: dict[str, list[str]] = {}
    for answer in versions:
        spoken.setdefault(answer.slug, []).append(answer.lang)
    order = {code: index for index, code in enumerate(languages)}
    versions = [
        _replace(
            answer,
            languages=tuple(sorted(spoken[answer.slug], key=lambda c: (order.get(c, 99), c))),
        )
        for answer in versions
    ]
    return Answers(tuple(versions), key=_digest(contents))


def _replace(answer: Answer, **changes: Any) -> Answer:
    from dataclasses import replace

    return replace(answer, **changes)


def _digest(contents: list[tuple[str, bytes]]) -> str:
    import hashlib

    hashed = hashlib.sha256()
    for name, data in contents:
        hashed.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return hashed.hexdigest()


class Problems:
    """``content-error`` entries, one report task per file."""

    def __init__(self, project: Path):
        self.project = project
        self.errors: dict[str, list[ValidationError]] = {}

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.project.resolve()).as_posix()
        except (ValueError, OSError):
            return path.as_posix()

    def add(self, path: Path | str, message: str, line: int | None = None) -> None:
        file = self.relative(Path(path)) if isinstance(path, Path) else path
        self.errors.setdefault(file, []).append(
            ContentError.error(file, file=file, line=line, details=message)
        )

    def report(self) -> Report:
        return Report(
            tasks=[
                DatasetReport(dataset=file, place=file, errors=errors)
                for file, errors in sorted(self.errors.items())
            ]
        )


def split_front_matter(text: str) -> tuple[dict[str, tuple[str, int]], str, list[str]]:
    """Front matter (``Key: value`` lines up to the first blank line; a line indented by
    four spaces or a tab continues the value) → ({key: (value, line)}, Markdown, problems).
    Keys are case-insensitive, as in Pelican's Markdown reader."""
    lines = text.splitlines()
    meta: dict[str, tuple[str, int]] = {}
    problems: list[str] = []
    last: str | None = None
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            break
        if last is not None and (line.startswith("    ") or line.startswith("\t")):
            value, number = meta[last]
            meta[last] = (f"{value} {line.strip()}".strip(), number)
            continue
        match = _META_LINE.match(line)
        if match is None:
            if not meta:  # no front matter at all: the whole file is text
                return {}, text, ["The file has no front matter (Title:, Body:, Topic:, Date:)."]
            problems.append(f"Line {index + 1} is not a 'Key: value' line of the front matter.")
            last = None
            continue
        last = match.group(1).lower()
        if last in meta:
            problems.append(f"'{match.group(1)}' is given twice (line {index + 1}).")
        meta[last] = (match.group(2).strip(), index + 1)
    else:
        index = len(lines)
    return meta, "\n".join(lines[index + 1 :]), problems


def read_answer(
    path: Path,
    data: bytes,
    languages: tuple[str, ...],
    root_lang: str,
    problems: Problems,
) -> Answer | None:
    """One file as an :class:`Answer`, or None after adding its problems."""
    found_before = len(problems.errors.get(problems.relative(path), []))
    if len(data) > MAX_BYTES:
        problems.add(path, f"The file is larger than {MAX_BYTES:,} bytes; an answer is shorter.")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.add(path, f"The file is not UTF-8 text (byte {error.start}); save it as UTF-8.")
        return None
    if "\x00" in text:
        problems.add(path, "The file holds a NUL character; it is not text.")
        return None
    meta, body_text, syntax = split_front_matter(text)
    for message in syntax:
        problems.add(path, message)

    def value(key: str) -> str:
        return meta.get(key, ("", 0))[0]

    def line(key: str) -> int | None:
        return meta[key][1] if key in meta else None

    for key in sorted(set(meta) - KEYS):
        problems.add(
            path,
            f"Unknown front matter key '{key}'; an answer has "
            + ", ".join(k.title() for k in sorted(KEYS))
            + ".",
            line(key),
        )
    for key in REQUIRED:
        if not value(key):
            problems.add(path, f"'{key.title()}:' is missing or empty.", line(key))

    stem = path.name.removesuffix(".md")
    suffix = LANG_SUFFIX.search(stem)
    suffix_lang = suffix.group(1) if suffix else None
    base = stem[: suffix.start()] if suffix else stem
    lang = value("lang") or suffix_lang or root_lang
    if suffix_lang and value("lang") and value("lang") != suffix_lang:
        problems.add(
            path,
            f"'Lang: {value('lang')}' differs from the file name's language "
            f"'.{suffix_lang}.md'; give one language.",
            line("lang"),
        )
    elif lang not in languages:
        problems.add(
            path,
            f"Language '{lang}' is not one of the portal's ({', '.join(languages)}): "
            "the answer would never be published.",
            line("lang"),
        )

    slug = value("slug") or base.lower()
    if not SLUG.match(slug) or len(slug) > MAX_SLUG:
        problems.add(
            path,
            f"Slug '{slug}' is not a valid address: use lower-case Latin letters, digits and "
            "hyphens (e.g. hot-water-outage), the same in every language version.",
            line("slug"),
        )
    elif slug in RESERVED_SLUGS:
        problems.add(
            path,
            f"Slug '{slug}' is taken by the lists of answers (/answers/{slug}/); choose another.",
            line("slug"),
        )

    topic = value("topic")
    if topic and topic not in TOPICS:
        problems.add(
            path,
            f"Topic '{topic}' is not in the list of topics: {', '.join(TOPICS)}.",
            line("topic"),
        )
    body = value("body")
    if body and (not SLUG.match(body) or len(body) > MAX_SLUG):
        problems.add(
            path,
            f"Body '{body}' is not a body's slug: use lower-case Latin letters, digits and "
            f"hyphens, as the datasets' body names give them (e.g. '{name_slug(body)}'), and "
            "put the name in 'Body-Name:'.",
            line("body"),
        )

    date = _date(value("date"), "Date", path, line("date"), problems)
    asked = _date(value("asked"), "Asked", path, line("asked"), problems)
    if date and asked and asked > date:
        problems.add(path, "'Asked:' is later than 'Date:' (the day of the answer).", line("asked"))

    # Imported here: ``moldir validate`` connects this feature but reads no answers.
    import markdown

    html = sanitize_html(markdown.markdown(body_text, extensions=["extra", "sane_lists"]))
    if not str(html).strip():
        problems.add(path, "The answer (the text after the front matter) is empty.")

    if len(problems.errors.get(problems.relative(path), [])) > found_before or date is None:
        return None
    return Answer(
        slug=slug,
        lang=lang,
        title=value("title"),
        question=value("question"),
        html=html,
        body=body,
        body_name=value("body-name"),
        topic=topic,
        date=date,
        asked=asked,
        source=problems.relative(path),
        original=suffix_lang is None,
    )


def _date(text: str, key: str, path: Path, line: int | None, problems: Problems) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        problems.add(path, f"'{key}: {text}' is not a date like 2026-10-14.", line)
        return None


def check_together(versions: list[Answer], problems: Problems) -> list[Answer]:
    """The language versions of an answer agree: one file per language, and the same
    topic and body in each (the lists by topic and by body are the same in every
    language)."""
    by_slug: dict[str, list[Answer]] = {}
    for answer in versions:
        by_slug.setdefault(answer.slug, []).append(answer)
    for group in by_slug.values():
        seen: dict[str, Answer] = {}
        first = group[0]
        for answer in group:
            other = seen.get(answer.lang)
            if other is not None:
                problems.add(
                    answer.source,
                    f"Answer '{answer.slug}' in '{answer.lang}' is also in {other.source}; "
                    "give each language version its own slug or language.",
                )
            seen[answer.lang] = answer
            for key in ("topic", "body"):
                if getattr(answer, key) != getattr(first, key):
                    problems.add(
                        answer.source,
                        f"{key.title()} '{getattr(answer, key)}' differs from "
                        f"'{getattr(first, key)}' in {first.source}, another language version "
                        f"of answer '{answer.slug}'.",
                    )
    return versions


def connect() -> None:
    """The answers have no dataset checks: they are read and checked when pages are
    written (``pages.py``)."""
