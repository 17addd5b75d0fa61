"""The pages every kind shares: ``/schemas/`` (each kind's schema, field by field) and,
once at the site root, ``/schemas/<kind>.json``. Each kind's topic pages are in its own
package (``appeals/pages.py``, ``budget/pages.py``, ``receptions/pages.py``).

Imported only when pages are written (``moldir.connect_features``); wired through
Moldir's hooks (``moldir.pipeline.pages``).
"""

from __future__ import annotations

from typing import Any

from moldir.features.kinds import KINDS, SCHEMAS_DIR, kind_schema, page_formatters
from moldir.model.settings import MoldirSettings
from moldir.pipeline import signals
from moldir.pipeline.pages import BuildContext, PageWriter, Site


def portal_topics(context: BuildContext) -> tuple[str, ...]:
    """The portal's topics (MOLDIR["topics"]): a topic page is written for these."""
    return tuple(MoldirSettings.from_pelican(context.settings).topics)


def write_schema_pages(site: Site) -> None:
    """/schemas/ (every kind's schema, field by field) and, once, /schemas/<kind>.json."""
    portal = site.portal
    kinds = [
        {"name": kind, "schema": kind_schema(kind), "datasets": portal.by_kind(kind)}
        for kind in KINDS
        if (SCHEMAS_DIR / f"{kind}.json").is_file()
    ]
    site.page(
        "schemas/index.html",
        "schemas",
        page_name="schemas",
        kinds=kinds,
        **page_formatters(site.context.locale),
    )
    if site.writes_root_files:
        for kind in kinds:
            # The package file as it is, so that other bodies reuse exactly what we check.
            source = SCHEMAS_DIR / f"{kind['name']}.json"
            site.file(f"schemas/{source.name}", source.read_bytes())


def page_writers(_context: Any) -> list[PageWriter]:
    return [write_schema_pages]


def connect() -> None:
    signals.page_writers.connect(page_writers)
