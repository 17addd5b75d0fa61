"""Converted Markdown of the last build, kept between builds (``moldir build`` only).

Pelican converts every article on every run, once per language run: 5,000 short articles
cost ~5 s, whatever changed. Pelican's own content cache cannot be used here: it pickles
its settings with every category and tag, and Moldir's settings carry the whole portal.

This store keeps only what is expensive and independent of the build — the HTML that
Markdown makes of a file and the file's raw metadata lines — keyed by the file's path,
size and mtime, in ``.moldir-cache/markdown/<theme frame>.pickle`` (the theme frame covers
the code, the library versions and the settings files, so a change to ``MARKDOWN`` starts
a new store). Pelican's reader that uses it is ``moldir.site.markdown``; metadata is still
processed by Pelican on every build (dates, categories, tags and their URLs come from the
current settings).
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path

logger = logging.getLogger(__name__)

# (absolute path, size, mtime_ns) of a Markdown file → (HTML, raw metadata lines).
Key = tuple[str, int, int]
Conversion = tuple[str, dict[str, list[str]]]


class MarkdownStore:
    """Converted Markdown of the last build, and of this one (what is saved)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.previous: dict[Key, Conversion] = {}
        self.current: dict[Key, Conversion] = {}
        self.hits = 0
        try:
            with open(path, "rb") as stream:
                self.previous = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            self.previous = {}

    def get(self, key: Key) -> Conversion | None:
        found = self.current.get(key) or self.previous.get(key)
        if found is not None:
            self.hits += 1
            self.current[key] = found
        return found

    def put(self, key: Key, value: Conversion) -> None:
        self.current[key] = value

    def save(self) -> None:
        """Only the files read by this build are kept (deleted articles drop out)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".tmp-{os.getpid()}")
        try:
            with open(temporary, "wb") as stream:
                pickle.dump(self.current, stream, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(self.path)
            for other in self.path.parent.glob("*.pickle"):
                if other != self.path:
                    other.unlink(missing_ok=True)  # an older theme frame's: never read again
        except (OSError, pickle.PicklingError, TypeError) as problem:
            logger.debug("markdown cache not saved: %s", problem)
            temporary.unlink(missing_ok=True)


def key_of(source_path: str) -> Key:
    """The key of a Markdown file as it is now."""
    stat = os.stat(source_path)
    return (os.path.abspath(source_path), stat.st_size, stat.st_mtime_ns)


_ACTIVE: MarkdownStore | None = None


def start(cache_root: Path, theme_frame: str) -> None:
    """Keep conversions in ``cache_root`` for the rest of this build."""
    global _ACTIVE
    _ACTIVE = MarkdownStore(cache_root / "markdown" / f"{theme_frame[:16]}.pickle")


def active() -> MarkdownStore | None:
    return _ACTIVE


def finish(saved: bool) -> None:
    """Stop; save the conversions when the build succeeded (``saved``)."""
    global _ACTIVE
    store, _ACTIVE = _ACTIVE, None
    if store is not None and saved:
        store.save()
