"""Moldir: a static open-government transparency portal generator.

The package is the pipeline (``datasets`` → ``validation`` → ``tables`` → ``downloads`` →
pages) and its Pelican adapter. ``PLUGINS = ["moldir"]`` in pelicanconf.py calls
``register()``; the ``moldir`` command (``cli.py``) wraps the same pipeline for editors.
"""

import importlib

__version__ = "0.1.0"

# Feature modules, each with a ``connect()`` that connects its handlers to
# ``moldir.pipeline.signals`` and, where it writes pages, a ``connect_pelican()`` that connects
# Pelican's signals (importing Pelican and its generators only there).
FEATURES: tuple[str, ...] = (
    "moldir.features.kinds",
    "moldir.features.charts",
    "moldir.features.kinds.appeals",
    "moldir.features.kinds.budget",
    "moldir.features.kinds.receptions",
    "moldir.features.search",
    "moldir.features.catalogue",
    "moldir.site.assets",
    "moldir.features.opendata",
)


def connect_features(pelican: bool = True) -> None:
    """Connect Moldir's features to its own signals (safe to call more than once).

    Features extend the pipeline through ``moldir.pipeline.signals``, exactly as an outside
    plugin would; both Pelican and ``moldir validate`` connect them. ``pelican=False``
    (``moldir validate``) leaves out their Pelican handlers, so that validating does not
    import Pelican, Altair, XlsxWriter or icalendar.
    """
    for name in FEATURES:
        feature = importlib.import_module(name)
        feature.connect()
        if pelican and hasattr(feature, "connect_pelican"):
            feature.connect_pelican()


def register() -> None:
    """Pelican's entry point."""
    from moldir.site.plugin import register as register_pelican

    connect_features()
    register_pelican()
