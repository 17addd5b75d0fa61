"""Moldir: a static open-government transparency portal generator.

The package is the pipeline (``model`` → ``pipeline`` → ``features`` → pages) and its
Pelican adapter (``site``). ``PLUGINS = ["moldir"]`` in pelicanconf.py calls
``register()``; the ``moldir`` command (``cli.py``) wraps the same pipeline for editors.
"""

import importlib
import importlib.util

__version__ = "0.1.0"

# Feature modules, each with a ``connect()`` that connects its handlers to
# ``moldir.pipeline.signals``. A feature package that writes pages keeps them in its
# ``pages`` module, whose own ``connect()`` declares its page writers and template helpers
# (``signals.page_writers``, ``signals.template_helpers``); it is imported only when pages
# are written. The order here is the order of the checks, of the page writers (each one
# Pelican generator, before the datasets' own) and of the template helpers.
FEATURES: tuple[str, ...] = (
    "moldir.features.kinds",
    "moldir.features.charts",
    "moldir.features.kinds.appeals",
    "moldir.features.kinds.budget",
    "moldir.features.kinds.receptions",
    "moldir.features.kinds.commitments",
    "moldir.features.kinds.data_requests",
    "moldir.features.feedback",
    "moldir.features.answers",
    "moldir.features.search",
    "moldir.features.catalogue",
    "moldir.site.assets",
    "moldir.features.opendata",
)


def pages_module(name: str) -> str | None:
    """The name of a feature's ``pages`` module, or None when it writes no pages."""
    feature = importlib.import_module(name)
    if not hasattr(feature, "__path__"):  # a plain module, not a package
        return None
    pages = f"{name}.pages"
    return pages if importlib.util.find_spec(pages) is not None else None


def connect_features(pelican: bool = True) -> None:
    """Connect Moldir's features to its own signals (safe to call more than once).

    Features extend the pipeline through ``moldir.pipeline.signals``, exactly as an outside
    plugin would; both Pelican and ``moldir validate`` connect them. ``pelican=False``
    (``moldir validate``: no Pelican run) leaves out their pages, so that validating does
    not import Pelican, Altair, XlsxWriter or icalendar.
    """
    for name in FEATURES:
        importlib.import_module(name).connect()
        module = pages_module(name) if pelican else None
        if module is not None:
            importlib.import_module(module).connect()


def register() -> None:
    """Pelican's entry point."""
    from moldir.site.plugin import register as register_pelican

    connect_features()
    register_pelican()
