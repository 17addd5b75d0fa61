"""Fingerprints: what a build's results depend on, as digests.

* **Whole site** — ``site_fingerprint`` hashes the settings files, the Moldir code and the
  installed library versions, and the size and mtime of every file under content/,
  datasets/ and the theme, the git commit and the build date. When it equals the
  fingerprint stored for the output folder, and that folder is still there, the build
  does nothing.
* **Frames** — ``frame_fingerprints``: what pages depend on besides the datasets (the
  "theme" frame and the "content" frame, reuse.py).
* **Per dataset** — ``dataset_fingerprint`` hashes the folder's files (path, size, mtime),
  the Moldir code and the inputs its results depend on (validation options, settings).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

# Bump when the layout of what is stored changes (store.py).
FORMAT = 2
# Folders of content/ that Moldir reads itself, outside Pelican, for pages of the theme
# frame: the published answers (content/answers/), which appeal and commitment pages link
# through a template global. They are part of the theme frame, so that a page reading them
# is reused only while they are unchanged.
THEME_CONTENT: tuple[str, ...] = ("answers",)
PACKAGE = Path(__file__).resolve().parents[1]
# Settings that fix the build date: out of the frames, like the day itself.
DAY_SETTINGS = frozenset({"MOLDIR_TODAY"})


def digest(*parts: Any) -> str:
    """A sha256 of the ``repr`` of each part (keys of the cache and of reused pages)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(repr(part).encode("utf-8"))
        hashed.update(b"\0")
    return hashed.hexdigest()


def tree_listing(root: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every file under ``root`` (hidden ones skipped)."""
    found = []
    if not root.exists():
        return found
    if root.is_file():
        stat = root.stat()
        return [(root.name, stat.st_size, stat.st_mtime_ns)]
    for folder, names, files in os.walk(root):
        names[:] = sorted(n for n in names if not n.startswith(".") and n != "__pycache__")
        for name in sorted(files):
            if name.startswith(".") or name.endswith(".pyc"):
                continue
            path = Path(folder) / name
            stat = path.stat()
            found.append((str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns))
    return found


_CODE: str | None = None


def code_fingerprint() -> str:
    """Moldir's own code (by content) and the versions of the libraries that shape output."""
    global _CODE
    if _CODE is None:
        code = hashlib.sha256()
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                code.update(str(path.relative_to(PACKAGE)).encode())
                code.update(path.read_bytes())
        # Versions from the installed metadata: importing the libraries themselves would
        # cost a no-change rebuild most of its time.
        versions = [
            metadata.version(name)
            for name in (
                "frictionless",
                "pandas",
                "pelican",
                "pyarrow",
                "babel",
                "altair",
                "vl-convert-python",
                "nh3",  # the sanitiser shapes every page
                "xlsxwriter",
            )
        ]
        _CODE = digest(FORMAT, code.hexdigest(), versions, sys.version_info[:2])
    return _CODE


def dataset_fingerprint(folder: Path, inputs: Any) -> str:
    """A dataset's files (path, size, mtime), the Moldir code, ``inputs`` (the options and
    settings its results depend on; their ``repr``, stable for dataclasses) and the year:
    a date read without its year takes the build's (``tables.as_of``), so a dataset's
    tables are read again in a new year unless the settings fix the day."""
    return digest(code_fingerprint(), tree_listing(folder), repr(inputs), time.strftime("%Y"))


def site_fingerprint(
    settings_file: Path,
    settings: dict[str, Any],
    extra: Any = None,
    frames: dict[str, str] | None = None,
) -> str:
    """Everything a build reads: settings, Moldir code, content, datasets, theme, git and
    the build date (a build on the next day is a new build: the receptions of the next
    weeks, overdue commitments and stale datasets move on with the day).
    ``frames``: ``frame_fingerprints`` of the same arguments, when already computed."""
    from moldir.model.settings import MoldirSettings, build_date, project_root

    moldir = MoldirSettings.from_pelican(settings)
    datasets = moldir.datasets_root(settings)
    frames = frames or frame_fingerprints(settings_file, settings, extra)
    return digest(
        frames["content"],
        tree_listing(datasets),
        git_head(project_root(settings)),
        build_date(settings),
    )


def frame_fingerprints(
    settings_file: Path, settings: dict[str, Any], extra: Any = None
) -> dict[str, str]:
    """What pages depend on besides the datasets (reuse.py): the "theme" frame (code,
    settings files, the settings as read, theme) and the "content" frame (the same and
    every file under content/).

    The build date is in neither: only the pages that show something worked out on the
    day (upcoming receptions, overdue commitments) depend on it, and they put it in their
    own keys (``reuse.on_day``). Were it in the frames, the first build of each day, the
    one a portal rebuilt nightly always makes, would render every page again. The one
    exception is Pelican's ``WITH_FUTURE_DATES = False``, which hides articles dated after
    the day: then the content frame holds the day."""
    from moldir.model.settings import build_date, project_root

    root = project_root(settings)
    trees = [
        Path(settings.get("THEME", "")),
        root / "pelicanconf.py",
        root / "publishconf.py",
        Path(settings_file).resolve(),
        *(Path(settings["PATH"]) / name for name in THEME_CONTENT),
    ]
    listing = [(str(tree), tree_listing(tree)) for tree in trees]
    # Pages also depend on the settings as read, not only on the files: a settings file may
    # read the environment (publishconf.py's MOLDIR_SITEURL). ``MOLDIR_TODAY`` is left out
    # with the day it fixes (above); a template reading it is never reused (reuse.py).
    # ``extra`` is the command line's overrides of the settings files, the day's included.
    as_read, extra = without_day(settings), without_day(extra)
    theme = digest(code_fingerprint(), listing, settings_key(extra), settings_key(as_read))
    content = Path(settings["PATH"])
    day = None if settings.get("WITH_FUTURE_DATES", True) else build_date(settings)
    return {"theme": theme, "content": digest(theme, str(content), tree_listing(content), day)}


def without_day(settings: Any) -> Any:
    """``settings`` (a dict, else as it is) without the settings that fix the day."""
    if not isinstance(settings, dict):
        return settings
    return {key: value for key, value in settings.items() if key not in DAY_SETTINGS}


def settings_key(value: Any) -> Any:
    """Settings as plain, ordered values for a key: what is not a plain value (a function
    in a setting) by its type only, since its ``repr`` changes from run to run."""
    if isinstance(value, dict):
        return sorted((str(key), settings_key(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return [settings_key(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return type(value).__qualname__


def git_head(root: Path) -> str:
    """The commit checked out in ``root`` (or its parents), without running git."""
    for folder in (root, *root.parents):
        head = folder / ".git" / "HEAD"
        if head.is_file():
            text = head.read_text().strip()
            if text.startswith("ref: "):
                ref = folder / ".git" / text[5:]
                if ref.is_file():
                    return ref.read_text().strip()
                packed = folder / ".git" / "packed-refs"
                return digest(text, packed.read_text() if packed.is_file() else "")
            return text
    return ""
