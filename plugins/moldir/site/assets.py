"""The theme's stylesheet bundle and site-root icons, written after Pelican copied the theme.

Every page links one stylesheet, ``theme/css/site.css``. It is built from the theme's core
files (``moldir.css``, ``modes.css``, ``print.css``, which declare their cascade layers)
followed by EVERY file in ``theme/css/components/`` in name order, each wrapped in
``@layer components`` — so a feature adds its styles by dropping ``<component>.css`` there,
and the visually-impaired mode (a later layer) still overrides them. One file, no request
per component, nothing fetched from elsewhere.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any

from moldir.pipeline import signals

logger = logging.getLogger(__name__)

BUNDLE_NAME = "site.css"
CORE_STYLESHEETS = ("moldir.css", "modes.css", "print.css")
COMPONENTS_FOLDER = "components"
ROOT_ICONS = ("favicon.ico",)

_CHARSET = re.compile(r"^\s*@charset\s+[^;]+;\s*", re.IGNORECASE)


def bundle_stylesheet(css_dir: Path) -> str:
    """The text of the bundle for a theme's ``css`` folder (core files, then components)."""
    parts: list[str] = []
    for name in CORE_STYLESHEETS:
        path = css_dir / name
        if path.is_file():
            parts.append(f"/* {name} */\n{_read(path)}")
    components = css_dir / COMPONENTS_FOLDER
    for path in sorted(components.glob("*.css")) if components.is_dir() else ():
        parts.append(
            f"/* {COMPONENTS_FOLDER}/{path.name} */\n@layer components {{\n{_read(path)}\n}}"
        )
    return "\n\n".join(parts) + "\n"


def _read(path: Path) -> str:
    # A nested @charset is invalid CSS; the bundle is UTF-8 anyway.
    return _CHARSET.sub("", path.read_text(encoding="utf-8")).strip()


def write_bundle(css_dir: Path) -> Path | None:
    """Write ``site.css`` beside ``moldir.css``; None when the folder is not Moldir's theme."""
    if not (css_dir / CORE_STYLESHEETS[0]).is_file():
        return None
    target = css_dir / BUNDLE_NAME
    target.write_text(bundle_stylesheet(css_dir), encoding="utf-8")
    return target


def bundle_after_pelican(pelican_object: Any) -> None:
    """Pelican's ``finalized``: bundle the theme copied into this run's output."""
    settings = pelican_object.settings
    css_dir = Path(pelican_object.output_path) / settings.get("THEME_STATIC_DIR", "theme") / "css"
    if write_bundle(css_dir):
        logger.debug("Moldir: wrote %s", css_dir / BUNDLE_NAME)


def finish_site(staging: Path, settings: dict | None = None, **_: Any) -> None:
    """``site_built``: bundle every copy of the theme (one per language site, if any) and put
    the favicon at the site root, where browsers ask for it by default."""
    static_dir = (settings or {}).get("THEME_STATIC_DIR", "theme")
    for moldir_css in staging.glob(f"**/{static_dir}/css/{CORE_STYLESHEETS[0]}"):
        write_bundle(moldir_css.parent)
    for name in ROOT_ICONS:
        source = staging / static_dir / name
        if source.is_file() and not (staging / name).exists():
            shutil.copyfile(source, staging / name)


def connect() -> None:
    """Connect the bundling step (idempotent: blinker keeps one connection per receiver)."""
    signals.site_built.connect(finish_site)
