"""Languages and translated text, shared by every layer: the portal's languages from the
settings, the gettext catalogues (``locale/<lang>/LC_MESSAGES/messages.po``, compiled in
memory), and metadata text in the reader's language with its English fallback
(``Localized``). The Pelican side of languages (one run per language, template helpers,
the links between language versions) is ``moldir.site.i18n``. See docs/i18n.md.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup

from moldir.model.settings import MoldirSettings, SettingsError

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


DOMAIN = "messages"


# Dataset metadata is written in English; translations are in the descriptor's ``i18n``.
SOURCE_LANG = "en"


# Each language named in itself, as a reader looks for it in the switcher.
LANGUAGE_NAMES: dict[str, str] = {
    "kk": "Қазақша",
    "ru": "Русский",
    "en": "English",
}


# A language setting that cannot be built (e.g. the default is not in the list) is a
# problem of the settings, reported with the others.
LanguageError = SettingsError


def default_language(settings: dict[str, Any]) -> str:
    """The language built at the site root."""
    return str(settings.get("DEFAULT_LANG") or "en")


def languages(settings: dict[str, Any]) -> list[str]:
    """Languages of the portal, the default first (only the default when none are set).
    The settings model checks the codes and that the default is listed."""
    default = default_language(settings)
    configured = MoldirSettings.from_pelican(settings).languages or (default,)
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


def language_name(code: str) -> str:
    """A language named in itself: LANGUAGE_NAMES, else Babel's (CLDR) name, else the code."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


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
