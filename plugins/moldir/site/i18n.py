"""Languages of the portal: one Pelican run per language, gettext catalogues, translated
metadata and the links between the language versions of a page.

The default language (Pelican's ``DEFAULT_LANG``) is built at the site root, every other
language of ``MOLDIR["languages"]`` into a folder named after it (``/ru/``, ``/en/``).
Files that do not depend on the language (downloads, report.json, chart files,
catalogues, feeds, .ics) are written once, by the default language's run: generators
check :func:`writes_root_files` and link to such files with ``data_url()``.

Catalogues are ``locale/<lang>/LC_MESSAGES/messages.po`` beside this module; they are
compiled to ``.mo`` in memory when a build starts (compiled files are not kept in git).
See docs/i18n.md.
"""

from __future__ import annotations

import gettext
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import pass_context

from moldir.incremental import reuse
from moldir.model.language import (
    FREQUENCY_LABELS,
    LANGUAGE_NAMES,
    SOURCE_LANG,
    Localized,
    language_name,
    language_prefix,
    languages,
    load_translations,
    localize,
)
from moldir.model.settings import MoldirSettings
from moldir.pipeline.pages import BuildContext
from moldir.site import pelican_compat

# Pelican's settings for where a translation of a page or article is written. Each
# language run writes its own version at the normal URL, so these copies are not needed.
_TRANSLATION_SAVE_AS = (
    "ARTICLE_LANG_SAVE_AS",
    "PAGE_LANG_SAVE_AS",
    "DRAFT_LANG_SAVE_AS",
    "DRAFT_PAGE_LANG_SAVE_AS",
)


# --- settings -------------------------------------------------------------------------


def language_builds(settings: dict[str, Any], staging: Path) -> Iterator[dict[str, Any]]:
    """Pelican setting overrides for each language run, the default language first.

    ``settings`` are the project's Pelican settings; ``staging`` is the folder the whole
    site is built in (the default language at its root, the others in sub-folders).
    """
    codes = languages(settings)
    siteurl = str(settings.get("SITEURL") or "")
    for lang in codes:
        prefix = language_prefix(settings, lang)
        overrides: dict[str, Any] = {
            "OUTPUT_PATH": str(staging / prefix) if prefix else str(staging),
            "DEFAULT_LANG": lang,
            "MOLDIR_LANG_PREFIX": prefix,
            "MOLDIR_LANGUAGES": codes,
            "MOLDIR_ROOT_LANG": codes[0],
            "MOLDIR_TRANSLATIONS": load_translations(lang),
        }
        site_name = (MoldirSettings.from_pelican(settings).site_names or {}).get(lang)
        if site_name:
            overrides["SITENAME"] = site_name
        if prefix and siteurl:
            # An absolute SITEURL names the language's own site; a relative build
            # (SITEURL "") gets its relative links from Pelican page by page.
            overrides["SITEURL"] = f"{siteurl.rstrip('/')}/{prefix}"
        if prefix and settings.get("FEED_DOMAIN"):
            # Pelican's news feed of a language is at /<lang>/feeds/…, its own URL too.
            overrides["FEED_DOMAIN"] = f"{str(settings['FEED_DOMAIN']).rstrip('/')}/{prefix}"
        if len(codes) > 1:
            overrides.update(dict.fromkeys(_TRANSLATION_SAVE_AS, ""))
        root_only = _root_only_static_files(settings)
        if prefix and root_only:
            # Files such as _headers, robots.txt or CNAME mean something at the site root
            # only: the other languages' runs do not copy them into their folders.
            overrides["IGNORE_FILES"] = [*settings.get("IGNORE_FILES", ["**/.*"]), *root_only]
        yield overrides


def run_context(settings: Mapping[str, Any]) -> BuildContext:
    """The typed run state of a Pelican run (what :func:`language_builds` put in its
    settings): :meth:`BuildContext.from_settings`, the one reader of those settings."""
    return BuildContext.from_settings(settings)


def _root_only_static_files(settings: dict[str, Any]) -> list[str]:
    """Names of static files that EXTRA_PATH_METADATA places at the top of the site."""
    names = []
    for source, metadata in (settings.get("EXTRA_PATH_METADATA") or {}).items():
        target = str((metadata or {}).get("path", ""))
        if target and "/" not in target.strip("/"):
            names.append(Path(source).name)
    return names


# --- catalogues -----------------------------------------------------------------------


# --- translated metadata --------------------------------------------------------------


@pass_context
def localized_global(
    context: Any, dataset: Any, key: str, resource: Any = None, view: Any = None
) -> Localized:
    """Template helper: ``{% set t = localized(dataset, "title") %}<h1{{ t.attr }}>{{ t }}``.

    ``resource``/``view`` may be names or objects with a ``name``.
    """
    lang = context.get("DEFAULT_LANG", SOURCE_LANG)
    if resource is not None and not isinstance(resource, str):
        resource = getattr(resource, "name", None) or resource.get("name")
    if view is not None and not isinstance(view, str):
        view = getattr(view, "name", None) or view.get("name")
    return localize(dataset, key, lang, resource=resource, view=view)


# --- links between language versions ---------------------------------------------------


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


def _root_url(siteurl: str, prefix: str) -> str:
    """The URL of the site root (the default language) seen from the current page."""
    if not prefix:
        return siteurl
    if siteurl.endswith("/" + prefix):
        return siteurl[: -len(prefix) - 1]
    if siteurl == prefix:
        return ""
    if siteurl in ("", "."):
        return ".."
    return f"{siteurl}/.."


def page_path(context: Any) -> str:
    """The current page's path inside its language site, as in a URL ("datasets/x/")."""
    name = str(context.get("output_file") or "")
    if name == "404.html":  # served for any missing URL: offer each language's home page
        return ""
    return name.removesuffix("index.html")


@pass_context
def language_links(context: Any) -> list[LanguageLink]:
    """The current page in every language of the portal (one entry per language)."""
    codes = list(context.get("MOLDIR_LANGUAGES") or [])
    current = context.get("DEFAULT_LANG", "")
    if len(codes) < 2:
        return []
    root = _root_url(str(context.get("SITEURL") or ""), str(context.get("MOLDIR_LANG_PREFIX", "")))
    path = page_path(context)
    links = []
    for index, code in enumerate(codes):
        folder = "" if index == 0 else f"{code}/"
        links.append(
            LanguageLink(
                code=code,
                name=language_name(code),
                url=f"{root}/{folder}{path}",
                current=code == current,
            )
        )
    return links


def install(env: Any, translations: gettext.NullTranslations | None = None) -> None:
    """Add the language helpers to a Jinja environment (templating.install calls it)."""
    gettext_ = (translations or gettext.NullTranslations()).gettext
    env.globals["localized"] = localized_global
    env.globals["language_links"] = language_links
    env.globals["frequency_label"] = lambda code: (
        gettext_(FREQUENCY_LABELS[code]) if code in FREQUENCY_LABELS else (code or "")
    )
    env.globals.setdefault("LANGUAGE_NAMES", LANGUAGE_NAMES)
    from moldir.pipeline import labels

    labels.install(env)
    # The language helpers and the labels' (words of a dataset's descriptor and of the
    # kind schemas, in the page's language) read their arguments, the run's language and
    # the code only: a page reading them can be reused. Not publisher_label and
    # licence_label, which read the portal.
    reuse.reusable_globals(
        "localized", "language_links", "frequency_label",
        "localized_fields", "field_title", "value_label", "publisher_name", "licence_title",
        "source_title", "localized_keywords", "type_word", "constraints_text",
        "readable_in_page_language", "contact_name", "language_name_in", "field_description",
        "kind_descriptor", "kind_text", "session_label", "body_label",
    )  # fmt: skip


# --- content ---------------------------------------------------------------------------


def prefer_original(generator: Any) -> None:
    """Content without a version in this run's language falls back to its original.

    Pelican picks the version in ``DEFAULT_LANG`` when there is one; otherwise it takes
    any version, possibly another translation, and writes it at the translation URL.
    Moldir takes the file without a language suffix (``about.md``, not ``about.ru.md``)
    and writes it at the page's normal URL, so every language site has every page (its
    ``lang`` stays the original's: templates mark the passage with it).
    """
    for attribute in ("articles", "pages", "hidden_pages"):
        items = getattr(generator, attribute, None)
        if not items:
            continue
        # Without a version in this language, Pelican keeps every version as an
        # "original": keep one per slug, in place (the context holds the same list).
        kept: list[Any] = []
        done: set[str] = set()
        native = [getattr(item, "in_default_lang", True) for item in items]
        for item, in_language in zip(list(items), native, strict=True):
            if in_language:
                kept.append(item)
                continue
            key = str(getattr(item, "slug", id(item)))
            if key in done:
                continue
            done.add(key)
            group = [other for other in items if str(getattr(other, "slug", "")) == key]
            candidates = list(dict.fromkeys([*group, *getattr(item, "translations", [])]))
            chosen = next((c for c in candidates if not _has_lang_suffix(c)), item)
            chosen.translations = [c for c in candidates if c is not chosen]
            # The URL settings of content in a foreign language are the *_LANG_* ones,
            # which multilingual builds leave empty: present the fallback as this
            # language's version of the page.
            chosen.in_default_lang = True
            kept.append(chosen)
        pelican_compat.replace_items(items, kept)
        if len(generator.settings.get("MOLDIR_LANGUAGES") or []) > 1:
            # Each language run publishes its own versions; Pelican would otherwise list
            # the other versions in this language's feed at URLs that are never written.
            for item in kept:
                item.translations = []


def _has_lang_suffix(content: Any) -> bool:
    """``about.ru.md`` is a translation; ``about.md`` is an original."""
    stem = Path(str(getattr(content, "source_path", "") or "")).stem
    return re.search(r"\.[a-z]{2,3}$", stem) is not None


class _DocutilsLanguageFilter(logging.Filter):
    """Drop Pelican's warning that docutils has no Kazakh: Moldir's content is Markdown,
    and reStructuredText still works (in English labels), so the warning only alarms."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Docutils has no localization" not in str(record.msg)


_DOCUTILS_FILTER = _DocutilsLanguageFilter()


def connect() -> None:
    """Connect the content fallback to Pelican (called from the Pelican plugin)."""
    from pelican import signals as pelican_signals

    logger = logging.getLogger("pelican.readers")
    if _DOCUTILS_FILTER not in logger.filters:
        logger.addFilter(_DOCUTILS_FILTER)

    pelican_signals.article_generator_pretaxonomy.connect(prefer_original)
    pelican_signals.page_generator_finalized.connect(prefer_original)
