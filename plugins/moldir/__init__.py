"""Moldir: a static open-government transparency portal generator.

The package is the pipeline (``datasets`` → ``validation`` → ``tables`` → ``downloads`` →
pages) and its Pelican adapter. ``PLUGINS = ["moldir"]`` in pelicanconf.py calls
``register()``; the ``moldir`` command (``cli.py``) wraps the same pipeline for editors.
"""

__version__ = "0.1.0"


def connect_features() -> None:
    """Connect Moldir's features to its own signals (safe to call more than once).

    Features are modules that extend the pipeline through ``moldir.signals``, exactly
    as an outside plugin would; both Pelican and ``moldir validate`` connect them.
    """


def register() -> None:
    """Pelican's entry point."""
    from .pelican_plugin import register as register_pelican

    connect_features()
    register_pelican()
