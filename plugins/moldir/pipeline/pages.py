"""What a feature sees when it writes pages: the language run and the site it writes into.

Features never import Pelican. They declare page writers and template helpers through
``moldir.pipeline.signals`` (``page_writers``, ``template_helpers``); ``moldir.site`` (the
only package that imports Pelican) runs each page writer in every language run with an
object following :class:`Site`, and installs the helpers in every Jinja environment.

- :class:`BuildContext` is the run state of one language run of a build (its language,
  the portal's languages, the folder it writes into, its translations), made by
  ``moldir.site`` from the run's settings; features read it instead of run-state settings.
- :class:`Site` is the page-writing interface: ``page()`` renders a template of the theme,
  ``file()`` writes any other file; both reuse the previous build's output when the key a
  page ``depends_on`` is unchanged (``moldir.incremental.reuse``).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from moldir.model.language import default_language, translations_for

if TYPE_CHECKING:
    from moldir.pipeline.portal import Portal


@dataclass(frozen=True)
class BuildContext:
    """One language run of a build: what pages and files of that run depend on.

    ``settings`` are the run's own Pelican settings (read-only use: ``SITEURL``,
    ``TIMEZONE``… and the project settings read the way the features read them).
    """

    lang: str
    """The run's language (Pelican's ``DEFAULT_LANG``), e.g. "kk"."""
    languages: tuple[str, ...]
    """Every language of the portal, the root (default) language first."""
    root_lang: str
    """The language built at the site root."""
    lang_prefix: str
    """The run's folder under the site root: "" for the root language, else its code."""
    translations: gettext.NullTranslations
    """The run's gettext catalogue."""
    output_path: Path
    """The folder this run writes into (the language's folder inside the staging site)."""
    settings: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> BuildContext:
        """The run state ``moldir.site`` put in a Pelican run's settings (the only way into
        a Pelican run: ``site.i18n.language_builds`` writes these keys, this reads them, and
        nothing else does); a plain ``pelican`` run is the root language's only run."""
        lang = default_language(settings)
        codes = tuple(settings.get("MOLDIR_LANGUAGES") or (lang,))
        return cls(
            lang=lang,
            languages=codes,
            root_lang=str(settings.get("MOLDIR_ROOT_LANG") or codes[0]),
            lang_prefix=str(settings.get("MOLDIR_LANG_PREFIX") or "").strip("/"),
            translations=translations_for(settings),
            output_path=Path(str(settings.get("OUTPUT_PATH") or "output")),
            settings=settings,
        )

    @property
    def portal(self) -> Portal | None:
        """The portal ``moldir build`` loaded once for every run (None in a plain
        ``pelican`` run, whose dataset pages load it themselves)."""
        return self.settings.get("MOLDIR_PORTAL")

    @property
    def writes_root_files(self) -> bool:
        """Whether this run writes the files kept once at the site root (downloads, chart
        files, catalogues, feeds, .ics): only the root language's run does."""
        return not self.lang_prefix

    @property
    def locale(self) -> str:
        """The Babel locale of the run's language ("kk", "en_GB"…)."""
        return self.lang.replace("-", "_")


class Site(Protocol):
    """The site a page writer writes into, in one language run (implemented by
    ``moldir.site``). Paths are relative to the run's output folder."""

    @property
    def context(self) -> BuildContext: ...

    @property
    def portal(self) -> Portal:
        """The loaded portal: every valid dataset with its tables and extras."""
        ...

    @property
    def writes_root_files(self) -> bool: ...

    def page(
        self, save_as: str, template: str, depends_on: str | None = None, **values: Any
    ) -> None:
        """Render ``template`` (a name of the theme, without ``.html``) to ``save_as``.

        ``depends_on`` is a key of everything ``values`` are derived from besides the
        settings and the theme (``reuse.dataset_key(published)`` for a dataset's own
        pages): when unchanged since the last build the previous page is reused. Pages
        without it (those reading the whole portal) are always rendered.
        """
        ...

    def file(
        self,
        path: str,
        content: bytes | Callable[[], bytes],
        depends_on: str | None = None,
    ) -> None:
        """Write a file that is not a page (``content`` may be a function, called only when
        the file is written); reused like a page when ``depends_on`` is unchanged."""
        ...


PageWriter = Callable[[Site], None]
"""``write(site)``: writes a feature's pages and files in one language run."""


@dataclass(frozen=True)
class TemplateHelpers:
    """Globals and filters a feature adds to the theme's Jinja environments."""

    globals: Mapping[str, Any] = field(default_factory=dict)
    filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
