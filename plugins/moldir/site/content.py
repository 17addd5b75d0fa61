"""Markdown pages and articles (and the files they link) as input from anyone.

Pelican reads ``content/`` for Moldir; what an editor writes there is checked here before
anything is written (docs/security.md):

- the HTML of every page and article, and its summary, is sanitised when it is read
  (``content_object_init``), so pages, feeds and the search index get the same clean HTML;
- a file Pelican cannot use (front matter that cannot be read, an unparseable date, no
  title, an unknown status, template or language) is a build error naming the file,
  where Pelican would log it and leave the page out;
- every page's address stays inside the site (no ``..``, no absolute ``save_as``, nothing
  but ``.html``), is taken by one file only, and is none of Moldir's own
  (``/datasets/``, ``/search/``, ``/appeals/``, the language folders …): two files
  publishing the same address are an error naming both;
- static files come from inside ``content/`` and are of a passive type (images,
  documents, data); an SVG file holds no script.

All problems of a run are raised together as :class:`InvalidContent` (a report in the same
shape as the datasets' one) from ``all_generators_finalized``, before Pelican writes.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from moldir.model.errors import ContentError, ErrorType, PageCollision, StaticFileType
from moldir.model.report import DatasetReport, InvalidDatasets, Report, ValidationError
from moldir.model.safety import UnsafeOutputPath, output_path
from moldir.model.settings import project_root
from moldir.pipeline.sanitize import sanitize_html, svg_file_problem
from moldir.site import pelican_compat

logger = logging.getLogger(__name__)

# The errors of content/ are content-error, page-collision and static-file-type
# (model/errors.py), in the report's shape: one task per file.

# The folders of the site that belong to Moldir's own pages and files; a page or article
# may not be published inside them (besides the language folders, added per portal).
MOLDIR_FOLDERS: dict[str, str] = {
    "datasets": "the catalogue and the dataset pages",
    "search": "the search page",
    "appeals": "the appeal statistics pages",
    "receptions": "the reception schedule pages",
    "budget": "the budget pages",
    "answers": "the published answers to citizens",
    "data-requests": "the data requests page",
    "commitments": "the commitments register",
    "schemas": "the data schemas page",
    "quality": "the data quality report",
    "api": "the datasets API",
    "feeds": "the feeds",
    "pagefind": "the search index",
    "theme": "the theme's styles and scripts",
}
# Files at the site root written by Moldir (besides Pelican's own direct templates).
MOLDIR_ROOT_FILES: dict[str, str] = {
    "catalog.jsonld": "the DCAT catalogue",
    "data.json": "the data.json catalogue",
    "sitemap.xml": "the sitemap",
    "robots.txt": "robots.txt",
    "favicon.ico": "the site icon",
}
# Static files an editor may add to content/ (images, documents, data, media, fonts).
# Anything a browser would run on the portal's address (HTML, scripts, XML) is refused.
STATIC_EXTENSIONS: frozenset[str] = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "tif", "tiff", "svg",
        "pdf", "txt", "csv", "tsv", "json", "geojson", "md", "odt", "ods", "odp", "doc",
        "docx", "xls", "xlsx", "ppt", "pptx", "rtf", "epub", "zip", "gz", "7z",
        "mp3", "m4a", "ogg", "oga", "wav", "mp4", "m4v", "webm", "ogv", "vtt",
        "woff", "woff2", "ttf", "otf",
    }
)  # fmt: skip
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# What an address (``url``, ``save_as``) may not hold: whitespace and control characters,
# quotes, angle brackets, backslashes and a scheme or drive (``javascript:``, ``C:``).
_UNSAFE_ADDRESS = re.compile(r"[\x00-\x20\x7f\"'<>\\`:]")
# A static file's name may hold spaces ("Photo 1.jpg"), but nothing that would end the
# quoted attribute Pelican writes its address into.
_UNSAFE_FILE_NAME = re.compile(r"[\x00-\x1f\x7f\"'<>\\`]")
# Longer names fail to be written on common file systems (255 bytes), with a traceback.
MAX_NAME_BYTES = 200

# Pelican's lists of content, by generator attribute, that it writes (the *_translations
# have an address only in single-language builds).
_CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


class InvalidContent(InvalidDatasets):
    """Raised before Pelican writes when pages, articles or static files are unusable."""

    def __init__(self, report: Report):
        super().__init__(report)
        count = len(report.errors)
        self.args = (f"{count} error{'s' if count != 1 else ''} in content/; nothing was built",)


# --- HTML ------------------------------------------------------------------------------


def sanitize_content(content: Any) -> None:
    """``content_object_init``: the HTML of a page or article and its summary, cleaned."""
    html = pelican_compat.content_html(content)
    if isinstance(html, str):
        pelican_compat.set_content_html(content, str(sanitize_html(html)))
    metadata = getattr(content, "metadata", None)
    if isinstance(metadata, dict) and isinstance(metadata.get("summary"), str):
        metadata["summary"] = str(sanitize_html(metadata["summary"]))
        pelican_compat.set_summary(content, metadata["summary"])


# --- checks ----------------------------------------------------------------------------


def check_content(generators: Iterable[Any]) -> None:
    """``all_generators_finalized``: every problem of content/ as one report, before any
    page is written; nothing is raised when there is none."""
    generators = list(generators)
    if not generators:
        return
    settings = generators[0].settings
    problems = ContentProblems(project_root(settings))
    problems.unreadable(generators)
    problems.addresses(generators, settings)
    problems.static_files(generators, settings)
    if problems.errors:
        raise InvalidContent(problems.report())


class ContentProblems:
    """The errors found in content/, one task per file, in the report's shape."""

    def __init__(self, root: Path):
        self.root = root
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, source: str, kind: type[ErrorType], message: str) -> None:
        """A ``kind`` error (ContentError, PageCollision, StaticFileType) on a file, once."""
        file = self.relative(source)
        errors = self.errors.setdefault(file, [])
        if not any(error.message == message for error in errors):
            errors.append(kind.error(file, file=file, details=message))

    def relative(self, source: str | Path) -> str:
        path = Path(source)
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return path.as_posix()

    def report(self) -> Report:
        return Report(
            tasks=[
                DatasetReport(dataset=file, place=file, errors=errors)
                for file, errors in sorted(self.errors.items())
            ]
        )

    # Files Pelican logged and left out --------------------------------------------------

    def unreadable(self, generators: list[Any]) -> None:
        context = generators[0].context
        failed = [
            path for path, item in context.get("generated_content", {}).items() if item is None
        ]
        for path in sorted(failed):
            generator = _reader_of(generators, path)
            base = generator.path if generator is not None else context.get("PATH", "")
            reason = diagnose(generator, path) if generator is not None else None
            self.add(
                str(Path(base) / path),
                ContentError,
                f"Pelican cannot use this file, so it would be left out of the site: "
                f"{(reason or 'see the messages above').rstrip('.')}.",
            )

    # Addresses ----------------------------------------------------------------------------

    def addresses(self, generators: list[Any], settings: dict[str, Any]) -> None:
        output = Path(settings["OUTPUT_PATH"])
        reserved = {**reserved_files(settings), **dataset_pages(generators[0].context, settings)}
        reserved = {name.lower(): what for name, what in reserved.items()}
        folders = {**MOLDIR_FOLDERS, **language_folders(settings)}
        folders = {name.lower(): what for name, what in folders.items()}
        taken: dict[str, str] = {}
        for generator, item in _written_content(generators):
            source = str(getattr(item, "source_path", "") or "")
            for problem in item_problems(generator, item, output):
                self.add(source, ContentError, problem)
            save_as = _address(item, "save_as")
            if not save_as or address_problem(save_as, "save_as", output) is not None:
                continue
            key = posixpath.normpath(save_as)
            shown = "/" + key.removesuffix("index.html")
            # Compared without case: on macOS, Windows and some hosts Datasets/ is datasets/.
            key = key.lower()
            first = key.split("/", 1)[0]
            if key in reserved:
                self.add(
                    source,
                    PageCollision,
                    f"this page would be published at {shown}, which is {reserved[key]}: "
                    "give it another Slug (or save_as).",
                )
            elif "/" in key and first in folders:
                self.add(
                    source,
                    PageCollision,
                    f"this page would be published at {shown}, but /{first}/ holds "
                    f"{folders[first]}: give it another Slug (or save_as).",
                )
            elif key in taken:
                other = self.relative(taken[key])
                self.add(
                    source,
                    PageCollision,
                    f"this page and {other} would both be published at {shown}: give one "
                    "of them another Slug (or save_as).",
                )
            else:
                taken[key] = source

    # Static files ----------------------------------------------------------------------

    def static_files(self, generators: list[Any], settings: dict[str, Any]) -> None:
        content = Path(settings["PATH"]).resolve()
        output = Path(settings["OUTPUT_PATH"])
        configured = {posixpath.normpath(p) for p in settings.get("EXTRA_PATH_METADATA") or {}}
        linking = static_links(generators, content)
        for generator in generators:
            for item in getattr(generator, "staticfiles", None) or ():
                source = Path(str(item.source_path))
                relative = self.relative(source)
                resolved = source.resolve()
                if not resolved.is_relative_to(content):
                    for page in linking.get(resolved, [str(source)]):
                        self.add(
                            page,
                            ContentError,
                            f"it links {relative}, which is outside "
                            f"{self.relative(content)}/: only files inside it are published.",
                        )
                    continue
                inside = resolved.relative_to(content).as_posix()
                save_as = _address(item, "save_as")
                if inside in configured:
                    continue  # placed by the administrator (EXTRA_PATH_METADATA)
                if save_as:
                    problem = address_problem(save_as, "save_as", output, html_only=False)
                    if problem is not None:
                        self.add(str(source), ContentError, problem)
                        continue
                extension = source.suffix.lower().lstrip(".")
                if extension not in STATIC_EXTENSIONS:
                    self.add(
                        str(source),
                        StaticFileType,
                        f"files of type .{extension or '(none)'} are not published from "
                        "content/: a browser could run them on the portal's address. "
                        "Allowed: images, PDF, office documents, data files, media.",
                    )
                elif extension == "svg":
                    problem = svg_file_problem(resolved.read_bytes())
                    if problem is not None:
                        self.add(str(source), StaticFileType, f"this SVG image {problem}.")


def static_links(generators: list[Any], content: Path) -> dict[Path, list[str]]:
    """The pages and articles that link each file with ``{static}`` or ``{attach}``."""
    links: dict[Path, list[str]] = {}
    for _generator, item in _written_content(generators):
        try:
            linked = item.get_static_links()
        except Exception:
            continue
        for path in linked:
            target = (content / path).resolve()
            links.setdefault(target, []).append(str(item.source_path))
    return links


def _reader_of(generators: list[Any], path: str) -> Any:
    """The generator that reads ``path`` (its pages or its articles)."""
    from pelican.generators import ArticlesGenerator, PagesGenerator

    pages = next((g for g in generators if isinstance(g, PagesGenerator)), None)
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if pages is not None and _under(path, pages.settings.get("PAGE_PATHS") or []):
        return pages
    return articles or pages


def _under(path: str, folders: list[str]) -> bool:
    return any(
        not folder or path == folder or path.startswith(folder.rstrip("/") + "/")
        for folder in folders
    )


def diagnose(generator: Any, path: str) -> str | None:
    """Why Pelican left ``path`` out: read it again and check what Pelican checks."""
    from pelican.contents import Article, Page
    from pelican.generators import PagesGenerator

    content_class = Page if isinstance(generator, PagesGenerator) else Article
    try:
        item = generator.readers.read_file(
            base_path=generator.path,
            path=path,
            content_class=content_class,
            context=generator.context,
        )
    except Exception as error:  # Pelican catches anything a reader raises
        return f"its front matter or text cannot be read ({_one_line(error)})"
    missing = [
        name for name in getattr(item, "mandatory_properties", ()) if not hasattr(item, name)
    ]
    if missing:
        names = " and ".join(f'"{name.title()}:"' for name in missing)
        return f"its front matter has no {names}"
    allowed = getattr(item, "allowed_statuses", None)
    if allowed and getattr(item, "status", None) not in allowed:
        return f'its "Status:" is {item.status!r}, not one of {", ".join(allowed)}'
    save_as = _address(item, "save_as")
    if save_as:
        return address_problem(save_as, "save_as", Path(generator.settings["OUTPUT_PATH"]))
    return None


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "…"


def _written_content(generators: list[Any]) -> Iterator[tuple[Any, Any]]:
    seen: set[int] = set()
    for generator in generators:
        for attribute in _CONTENT_LISTS:
            for item in getattr(generator, attribute, None) or ():
                if id(item) not in seen:
                    seen.add(id(item))
                    yield generator, item


def _address(item: Any, name: str) -> str:
    try:
        return str(getattr(item, name, "") or "")
    except (KeyError, ValueError, AttributeError):
        return ""


def item_problems(generator: Any, item: Any, output: Path) -> list[str]:
    """What is wrong with a page or article Pelican did read: its address, template or
    language."""
    problems = []
    for name in ("save_as", "url"):
        value = _address(item, name)
        problem = address_problem(value, name, output) if value else None
        if problem is not None:
            problems.append(problem)
            break  # both come from one Slug: one message is enough
    template = getattr(item, "template", None)
    if template:
        try:
            generator.get_template(template)
        except Exception:  # Pelican's own TemplateNotFound, or Jinja's for a bad name
            problems.append(f'its "Template:" {template!r} is not a template of the theme.')
    if not str(getattr(item, "title", "") or "").strip():
        problems.append('its "Title:" is empty.')
    lang = getattr(item, "lang", None)
    if lang is not None and not LANGUAGE_CODE.match(str(lang)):
        problems.append(f'its "Lang:" {str(lang)!r} is not a language code such as en or kk.')
    return problems


def address_problem(value: str, name: str, output: Path, html_only: bool = True) -> str | None:
    """Why ``value`` (a ``save_as`` or ``url`` made from the front matter, or a static
    file's ``save_as`` when not ``html_only``) cannot be an address of the site, or None."""
    label = "its address" if name == "url" else "the file it would be written to"
    parts = unquote(value).replace("\\", "/").split("/")
    unsafe = _UNSAFE_ADDRESS if html_only else _UNSAFE_FILE_NAME
    if unsafe.search(value):
        return (
            f"{label}, {value!r}, holds spaces, quotes, brackets, backslashes or a colon: "
            "set a Slug of letters, digits and dashes."
        )
    if value.startswith("/") or ".." in parts:
        return (
            f"{label}, {value!r}, leads outside the site: a Slug may not hold '..' or "
            "start with '/'."
        )
    if any(part.startswith(".") for part in parts):
        return f"{label}, {value!r}, names a hidden file or folder (starting with '.')."
    if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in parts):
        return f"{label}, {value[:60]!r}…, has a name longer than {MAX_NAME_BYTES} bytes."
    if name == "save_as":
        try:
            output_path(output, value)
        except UnsafeOutputPath:
            return f"{label}, {value!r}, leads outside the site."
        if html_only and not value.endswith(".html"):
            return f"{label}, {value!r}, does not end in .html."
    return None


def reserved_files(settings: dict[str, Any]) -> dict[str, str]:
    """Files written by Pelican's own templates and feeds, and Moldir's root files."""
    files: dict[str, str] = {"404.html": "the page-not-found page"}
    for name in settings.get("DIRECT_TEMPLATES") or ():
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if save_as:
            files[posixpath.normpath(save_as)] = f"the {name} page"
    for name in ("INDEX_SAVE_AS", "ARCHIVES_SAVE_AS"):
        if settings.get(name):
            files[posixpath.normpath(settings[name])] = "a page of the site"
    for name in ("FEED_ALL_ATOM", "FEED_ALL_RSS", "FEED_ATOM", "FEED_RSS"):
        if settings.get(name):
            files[posixpath.normpath(settings[name])] = "the news feed"
    for save_as in (settings.get("TEMPLATE_PAGES") or {}).values():
        files[posixpath.normpath(save_as)] = "a page of the site"
    files.update(MOLDIR_ROOT_FILES)
    return files


def dataset_pages(context: dict[str, Any], settings: dict[str, Any]) -> dict[str, str]:
    """Each dataset's page, named by its descriptor (what an editor sees)."""
    portal = context.get("moldir_portal") or settings.get("MOLDIR_PORTAL")
    pages = {}
    for published in getattr(portal, "datasets", None) or ():
        dataset = published.dataset
        shown = dataset.shown_path or str(dataset.descriptor_path)
        pages[f"datasets/{published.slug}/index.html"] = f"the page of the dataset {shown}"
    return pages


def language_folders(settings: dict[str, Any]) -> dict[str, str]:
    """``/<lang>/`` of every language but the one built at the root."""
    codes = list(settings.get("MOLDIR_LANGUAGES") or ())
    root = settings.get("MOLDIR_ROOT_LANG") or settings.get("DEFAULT_LANG")
    return {code: f"the site in {code}" for code in codes if code != root}


def connect() -> None:
    """Connect the checks to Pelican (from the Moldir plugin's ``register``)."""
    from pelican import signals as pelican_signals

    pelican_signals.content_object_init.connect(sanitize_content)
    pelican_signals.all_generators_finalized.connect(check_content)
