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

import functools
import gettext
import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import pass_context
from markupsafe import Markup

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

# Dataset metadata is written in English; translations are in the descriptor's ``i18n``.
SOURCE_LANG = "en"

# Each language named in itself, as a reader looks for it in the switcher.
LANGUAGE_NAMES: dict[str, str] = {
    "kk": "Қазақша",
    "ru": "Русский",
    "en": "English",
}

# Pelican's settings for where a translation of a page or article is written. Each
# language run writes its own version at the normal URL, so these copies are not needed.
_TRANSLATION_SAVE_AS = (
    "ARTICLE_LANG_SAVE_AS",
    "PAGE_LANG_SAVE_AS",
    "DRAFT_LANG_SAVE_AS",
    "DRAFT_PAGE_LANG_SAVE_AS",
)


class LanguageError(ValueError):
    """The language settings cannot be built (e.g. the default is not in the list)."""


# --- settings -------------------------------------------------------------------------


def default_language(settings: dict[str, Any]) -> str:
    """The language built at the site root."""
    return str(settings.get("DEFAULT_LANG") or "en")


def languages(settings: dict[str, Any]) -> list[str]:
    """Languages of the portal, the default first (only the default when none are set)."""
    default = default_language(settings)
    configured = list((settings.get("MOLDIR") or {}).get("languages") or [default])
    if default not in configured:
        raise LanguageError(
            f"DEFAULT_LANG {default!r} is not in MOLDIR['languages'] ({', '.join(configured)})"
        )
    for code in configured:
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)?", code):
            raise LanguageError(f"{code!r} in MOLDIR['languages'] is not a language code")
    return [default, *(code for code in configured if code != default)]


def language_prefix(settings: dict[str, Any], lang: str) -> str:
    """The folder of a language's site: "" for the default language, else its code."""
    return "" if lang == default_language(settings) else lang


def writes_root_files(settings: dict[str, Any]) -> bool:
    """Whether this Pelican run writes the files kept once at the site root.

    True in the default language's run (and in a plain ``pelican`` run); generators of
    downloads, chart files, catalogues, feeds and .ics files skip writing them otherwise.
    """
    return not settings.get("MOLDIR_LANG_PREFIX")


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
        site_name = ((settings.get("MOLDIR") or {}).get("site_names") or {}).get(lang)
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


def _root_only_static_files(settings: dict[str, Any]) -> list[str]:
    """Names of static files that EXTRA_PATH_METADATA places at the top of the site."""
    names = []
    for source, metadata in (settings.get("EXTRA_PATH_METADATA") or {}).items():
        target = str((metadata or {}).get("path", ""))
        if target and "/" not in target.strip("/"):
            names.append(Path(source).name)
    return names


# --- catalogues -----------------------------------------------------------------------


def catalogue_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=32)
def _compiled(path: Path, mtime_ns: int, lang: str) -> bytes:
    # Keyed by modification time, so ``moldir serve`` picks up an edited catalogue.
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # a fuzzy entry is not a translation
    return buffer.getvalue()


def load_translations(lang: str, locale_dir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """The gettext translations of a language, compiled in memory from its ``.po`` file.

    A language without a catalogue gets ``NullTranslations`` (the English msgids).
    """
    path = catalogue_path(lang, locale_dir)
    if not path.is_file():
        return gettext.NullTranslations()
    data = _compiled(path, path.stat().st_mtime_ns, lang)
    return gettext.GNUTranslations(io.BytesIO(data))


def translations_for(settings: dict[str, Any]) -> gettext.NullTranslations:
    """The translations of a Pelican run: ``MOLDIR_TRANSLATIONS`` (set by ``moldir build``)
    or, in a plain ``pelican`` run, the catalogue of ``DEFAULT_LANG``."""
    translations = settings.get("MOLDIR_TRANSLATIONS")
    if translations is None:
        translations = load_translations(default_language(settings))
    return translations


def gettext_for(settings: dict[str, Any]) -> Callable[[str], str]:
    """``_`` for Python code that writes text into pages (chart alternatives, messages).

    Use it as ``_ = gettext_for(self.settings)`` then ``_("Text")`` so that
    ``make messages`` extracts the string.
    """
    return translations_for(settings).gettext


# --- translated metadata --------------------------------------------------------------


class Localized(str):
    """A translated text that knows its language and whether it is the English fallback.

    It prints as the text; ``.attr`` is `` lang="en"`` (markup) on a fallback, for the
    element holding it, so screen readers switch voice.
    """

    lang: str
    fallback: bool

    def __new__(cls, text: str, lang: str, fallback: bool) -> Localized:
        value = super().__new__(cls, text)
        value.lang = lang
        value.fallback = fallback
        return value

    @property
    def text(self) -> str:
        return str(self)

    @property
    def attr(self) -> Markup:
        return Markup(' lang="{}"').format(self.lang) if self.fallback else Markup("")


def _descriptor(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    return getattr(obj, "descriptor", None) or {}


def localize(
    dataset: Any,
    key: str,
    lang: str,
    resource: str | None = None,
    view: str | None = None,
) -> Localized:
    """``key`` ("title", "description") of a dataset, or of one of its resources or
    views, in ``lang`` from the descriptor's ``i18n`` block, else the English text."""
    descriptor = _descriptor(dataset)
    if resource is not None:
        items = {r.get("name"): r for r in descriptor.get("resources", [])}
        original = (items.get(resource) or {}).get(key) or ""
        path = ("resources", resource)
    elif view is not None:
        items = {v.get("name"): v for v in descriptor.get("views", [])}
        original = (items.get(view) or {}).get(key) or ""
        path = ("views", view)
    else:
        original = descriptor.get(key) or ""
        path = ()
    if not original and key == "title":
        original = resource or view or getattr(dataset, "slug", "") or ""
    if lang == SOURCE_LANG:
        return Localized(original, lang, False)
    block: Any = (descriptor.get("i18n") or {}).get(lang) or {}
    for part in path:
        block = (block.get(part) or {}) if isinstance(block, dict) else {}
    translated = block.get(key) if isinstance(block, dict) else None
    if translated:
        return Localized(str(translated), lang, False)
    return Localized(original, SOURCE_LANG, bool(original))


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


def language_name(code: str) -> str:
    """A language named in itself: LANGUAGE_NAMES, else Babel's (CLDR) name, else the code."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


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


def N_(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return text


# The descriptor's ``frequency`` codes (datasets/README.md), as readers say them.
FREQUENCY_LABELS: dict[str, str] = {
    "irregular": N_("irregular"),
    "continuous": N_("continuously updated"),
    "daily": N_("daily"),
    "weekly": N_("weekly"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "semiannual": N_("twice a year"),
    "annual": N_("annual"),
    "biennial": N_("every two years"),
}


def install(env: Any, translations: gettext.NullTranslations | None = None) -> None:
    """Add the language helpers to a Jinja environment (templating.install calls it)."""
    gettext_ = (translations or gettext.NullTranslations()).gettext
    env.globals["localized"] = localized_global
    env.globals["language_links"] = language_links
    env.globals["frequency_label"] = lambda code: (
        gettext_(FREQUENCY_LABELS[code]) if code in FREQUENCY_LABELS else (code or "")
    )
    env.globals.setdefault("LANGUAGE_NAMES", LANGUAGE_NAMES)
    from . import labels  # labels imports this module

    labels.install(env)


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
        items[:] = kept
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
