"""Pelican's Markdown reading, cached between builds (``moldir build`` only).

Pelican converts every article on every run, once per language run: 5,000 short articles
cost ~5 s, whatever changed. Pelican's own content cache cannot be used here: it pickles
its settings with every category and tag, and Moldir's settings carry the whole portal.

This reader caches only what is expensive and independent of the build — the HTML that
Markdown makes of a file and the file's raw metadata lines — keyed by the file's path,
size and mtime, in ``.moldir-cache/markdown/<theme frame>.pickle`` (the theme frame covers
the code, the library versions and the settings files, so a change to ``MARKDOWN`` starts
a new cache). Metadata is still processed by Pelican on every build (dates, categories,
tags and their URLs come from the current settings).
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import Any

from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from moldir.site import pelican_compat

logger = logging.getLogger(__name__)


class MarkdownStore:
    """Converted Markdown of the last build, and of this one (what is saved)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.previous: dict[tuple, tuple[str, dict]] = {}
        self.current: dict[tuple, tuple[str, dict]] = {}
        self.hits = 0
        try:
            with open(path, "rb") as stream:
                self.previous = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            self.previous = {}

    def get(self, key: tuple) -> tuple[str, dict] | None:
        found = self.current.get(key) or self.previous.get(key)
        if found is not None:
            self.hits += 1
            self.current[key] = found
        return found

    def put(self, key: tuple, value: tuple[str, dict]) -> None:
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


_ACTIVE: MarkdownStore | None = None


def start(cache_root: Path, theme_frame: str) -> None:
    global _ACTIVE
    _ACTIVE = MarkdownStore(cache_root / "markdown" / f"{theme_frame[:16]}.pickle")


def finish(saved: bool) -> None:
    global _ACTIVE
    store, _ACTIVE = _ACTIVE, None
    if store is not None and saved:
        store.save()


class CachingMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader; the conversion is reused when the file is unchanged."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        store = _ACTIVE
        if store is None:
            return super().read(source_path)
        stat = os.stat(source_path)
        key = (os.path.abspath(source_path), stat.st_size, stat.st_mtime_ns)
        # A fresh converter either way: Pelican's metadata parsing converts formatted
        # fields with it (pelican_compat: the reader's internals).
        markdown = pelican_compat.markdown_for(self, source_path)
        found = store.get(key)
        if found is None:
            with pelican_open(source_path) as text:
                content = markdown.convert(text)
            raw = {name: list(values) for name, values in getattr(markdown, "Meta", {}).items()}
            store.put(key, (content, raw))
        else:
            content, raw = found
        return content, pelican_compat.markdown_metadata(self, raw)


def install(readers: Any) -> None:
    """``readers_init`` receiver: Markdown files are read by ``CachingMarkdownReader``."""
    for extension in MarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = CachingMarkdownReader
