"""Reusing the pages of the previous build that nothing they depend on has changed.

Pelican renders every page on every run. During ``moldir build`` (with its cache active)
Moldir's writer (``moldir.site.writer``, the Pelican side) first works out what a page
depends on here and, when all of it is as it was for the previous build of the same output
folder, hard-links the previous file into the staging folder instead of rendering the
template again:

* **News, pages, tags, categories, archives** (Pelican's own generators) depend on the
  *content frame*: the Moldir code, the settings files, the theme, everything under
  ``content/`` and the settings as read. Changing a dataset leaves them alone; changing an
  article re-renders them all (lists, archives and neighbours link each other).
* **A dataset's pages** (its page, its chart pages) depend on the *theme frame* (the same
  without ``content/``) and on that dataset: its fingerprint (fingerprints.py) and the
  extras that features declare as keyed (``key_extras``, e.g. its git history). Changing
  one dataset re-renders its own pages only.
* **The build date** is in neither frame: the pages showing what the day changes (the
  receptions of the next weeks, overdue commitments) add it to their keys (``on_day``),
  so that the first build of a new day does not render every page again.
* **Pages listing datasets** — the catalogue's pages, topic pages — are keyed on the keys
  of the datasets they list (``datasets_key``).
* **Everything else** — the home page, the quality report, search — reads the whole
  portal and is rendered every time (there are few of them).

A page is only reused when its template, with everything it extends, includes and imports,
reads nothing but names known to be covered by its key (``template_reads``): Pelican's
and Jinja's own names, settings, the values the page's key covers, and the template
globals declared reusable by whoever installs them (``reusable_globals``). A theme that
starts showing, say, the portal on the news page gets that page rendered again, not a
stale copy. Reused pages are not sent through Pelican's ``content_written`` signal.

The manifest of the last build (``outputs/<id>.pages.json`` in the cache) maps each page
to its key and to the size and mtime of the file that build wrote, so a page edited or
deleted in ``output/`` by hand is rendered again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from moldir.incremental import store as build_cache
from moldir.incremental.fingerprints import digest
from moldir.model.safety import checked_output
from moldir.model.stored import StoredFile

logger = logging.getLogger(__name__)

# The keywords ``PortalGenerator.write_page`` uses to pass a page's dependency key and the
# names of the values it covers to the writer (popped before rendering); a key of ``None``
# means "render every time". Pages written without them come from Pelican's generators.
DEPENDS_ON = "moldir_depends_on"
COVERED = "moldir_covered"
PELICAN = object()

# Names a page may read and still be reused: Pelican's content-derived variables (covered
# by the content frame), Jinja's and gettext's built-ins, and the template globals declared
# reusable (``reusable_globals``). Any other name (``portal``, ``moldir_portal``, a global
# nobody declared) makes the page render every time. Settings (upper-case names) are
# covered by the frame too, except the ones that carry the portal and the build's objects.
CONTENT_NAMES = frozenset(
    {
        "article", "articles", "page", "pages", "hidden_pages", "draft_pages", "drafts",
        "hidden_articles", "draft_articles", "dates", "tags", "tag", "categories", "category",
        "authors", "author", "period", "period_num", "static_links", "output_file",
        "page_name", "localsiteurl", "lang", "translations", "static_content",
        "articles_page", "articles_paginator", "articles_previous_page", "articles_next_page",
        "dates_page", "dates_paginator", "dates_previous_page", "dates_next_page",
    }
)  # fmt: skip
JINJA_NAMES = frozenset(
    {
        "range", "dict", "lipsum", "cycler", "joiner", "namespace",
        "_", "gettext", "ngettext", "pgettext", "npgettext",
    }
)  # fmt: skip
# Settings no frame covers: the portal itself, and ``MOLDIR_TODAY``, which the frames leave
# out with the day (fingerprints.frame_fingerprints; a page showing the day puts it in its
# own key, ``on_day``).
UNCOVERED_SETTINGS = frozenset({"MOLDIR_PORTAL", "MOLDIR_TODAY"})


_REUSABLE_GLOBALS: set[str] = set()
_KEYED_EXTRAS: set[str] = set()


def reusable_globals(*names: str) -> None:
    """Declare template globals that read nothing but their arguments, the settings, the
    code and the run's language: a page reading them can still be reused. Whoever installs
    a global (a feature, the site) declares it; an undeclared one is read as "anything"."""
    _REUSABLE_GLOBALS.update(names)


def key_extras(*names: str) -> None:
    """Declare ``published.extras`` entries that a dataset's pages show and that its
    fingerprint does not cover (e.g. its git history): they become part of its key
    (``dataset_key``), so that a change to them renders its pages again. Their ``repr``
    must be stable between builds (dataclasses, tuples, text)."""
    _KEYED_EXTRAS.update(names)


def reusable_reads(reads: frozenset[str] | None, covered: Iterable[str]) -> bool:
    """True when every name in ``reads`` is covered by a page's key."""
    if reads is None:
        return False
    allowed = CONTENT_NAMES | JINJA_NAMES | _REUSABLE_GLOBALS | set(covered)
    return all(
        name in allowed or (name.isupper() and name not in UNCOVERED_SETTINGS) for name in reads
    )


# ----------------------------------------------------------------------------- the build


class PageReuse:
    """The previous build's page manifest and the one this build writes."""

    def __init__(
        self,
        manifest_path: Path,
        staging: Path,
        final: Path,
        frames: dict[str, str],
        show_progress: bool = False,
    ) -> None:
        self.manifest_path = manifest_path
        self.staging = staging
        self.final = final
        self.frames = frames  # "content" and "theme" frame keys (frame_fingerprints)
        self._staging = os.path.abspath(staging)
        self._show_progress = show_progress
        self._last_tick = 0.0
        self._ticked = False
        self.previous: dict[str, list] = {}
        self.current: dict[str, list] = {}
        self.reused = 0
        self.rendered = 0
        # Names each template reads (moldir.site.writer.template_reads): per template
        # file, and per (environment, name) to find it fast; the theme cannot change
        # during a build.
        self.reads: dict[Any, frozenset[str] | None] = {}
        self.dataset_keys: dict[str, str | None] = {}  # dataset_key, by slug
        if final.is_dir():
            try:
                self.previous = json.loads(manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.previous = {}

    def relative(self, path: str | os.PathLike) -> str:
        """``path`` relative to the staging folder, with ``/`` (the manifest's keys)."""
        relative = os.path.relpath(os.path.abspath(path), self._staging)
        return relative.replace(os.sep, "/")

    def try_reuse(self, files_key: str, key: str) -> bool:
        """Hard-link every file the previous build wrote for ``files_key`` under ``key``."""
        entry = self.previous.get(files_key)
        if not entry or entry[0] != key:
            return False
        files = entry[1]
        for relative, size, mtime_ns in files:
            old = self.final / relative
            try:
                stat = old.stat()
            except OSError:
                return False
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                return False  # edited or replaced in output/ since: render it again
        for relative, _size, _mtime in files:
            new = self.staging / relative
            new.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.final / relative, new)
            except OSError:
                shutil.copy2(self.final / relative, new)
        self.current[files_key] = entry
        self.reused += len(files)
        self.tick()
        return True

    def tick(self) -> None:
        """A progress line ("pages: 1,234 rendered, 5,678 reused") at most 4 times a second."""
        now = time.monotonic()
        if self._show_progress and now - self._last_tick > 0.25:
            self._last_tick = now
            sys.stderr.write(f"\rpages: {self.rendered:,} rendered, {self.reused:,} reused")
            sys.stderr.flush()
            self._ticked = True

    def end_progress(self) -> None:
        if self._ticked:
            sys.stderr.write(f"\rpages: {self.rendered:,} rendered, {self.reused:,} reused\n")
            self._ticked = False

    def record(self, files_key: str | None, key: str | None, written: list[str]) -> None:
        """Count rendered files; remember them under ``key`` when they can be reused."""
        self.rendered += len(written)
        self.tick()
        if files_key is None or key is None:
            return
        files = []
        for relative in written:
            stat = (self.staging / relative).stat()
            files.append([relative, stat.st_size, stat.st_mtime_ns])
        self.current[files_key] = [key, files]

    def save(self) -> None:
        """After the swap, with the stats of the files as they now are in ``final`` (the
        swap may have replaced a rendered page by a link to an identical old one)."""
        for _key, files in self.current.values():
            for entry in files:
                try:
                    stat = (self.final / entry[0]).stat()
                except OSError:
                    continue
                entry[1], entry[2] = stat.st_size, stat.st_mtime_ns
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.manifest_path.with_suffix(f".tmp-{os.getpid()}")
        temporary.write_text(json.dumps(self.current), encoding="utf-8")
        temporary.replace(self.manifest_path)


_ACTIVE: PageReuse | None = None


def start(
    store: build_cache.BuildCache,
    staging: Path,
    final: Path,
    frames: dict[str, str],
    show_progress: bool = False,
) -> None:
    """Reuse pages of ``final`` while building into ``staging`` (``moldir build`` only);
    ``show_progress``: a line counting rendered and reused pages on stderr."""
    global _ACTIVE
    manifest = store.output_record(final).with_suffix(".pages.json")
    _ACTIVE = PageReuse(manifest, staging, final, frames, show_progress)


def active() -> PageReuse | None:
    """The page reuse of the build being run (None outside ``moldir build``)."""
    return _ACTIVE


def end_progress() -> None:
    """End the progress line of a language run (build.py, after each Pelican run)."""
    if _ACTIVE is not None:
        _ACTIVE.end_progress()


def finish(saved: bool) -> PageReuse | None:
    """Stop reusing; save the manifest when the build was swapped into place."""
    global _ACTIVE
    reuse, _ACTIVE = _ACTIVE, None
    if reuse is not None and saved:
        reuse.save()
    return reuse


def unlink_shared(path: str | os.PathLike) -> None:
    """Remove ``path`` if it is a link (a reused file shares the previous output's inode):
    writing through it would change the site that is being served, even if the build
    then fails."""
    if os.path.islink(path) or (os.path.exists(path) and os.stat(path).st_nlink > 1):
        os.unlink(path)


def write_bytes(
    path: Path, content: bytes | Callable[[], bytes] | StoredFile, depends_on: str | None = None
) -> None:
    """Write a file of the site (a download, a chart file) into the staging folder, or
    link the previous build's copy when ``depends_on`` is the key it was written under.
    ``content`` may be a function, called only when the file is written, or a stored file
    (copied, never read into memory)."""
    reuse = _ACTIVE
    files_key = key = None
    if reuse is not None and depends_on is not None:
        files_key = reuse.relative(path)
        key = digest(reuse.frames["theme"], files_key, depends_on)
        if reuse.try_reuse(files_key, key):
            return
    path = checked_output(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    unlink_shared(path)
    if isinstance(content, StoredFile):
        content.copy_to(path)
    else:
        path.write_bytes(content() if callable(content) else content)
    if reuse is not None:
        reuse.record(files_key, key, [reuse.relative(path)])


def datasets_key(datasets: Iterable[Any]) -> str | None:
    """What a page built from several datasets (a topic page) depends on, or None."""
    keys = {published.slug: dataset_key(published) for published in datasets}
    return None if None in keys.values() else digest(sorted(keys.items()))


def on_day(key: str | None, day: Any) -> str | None:
    """``key`` of a page that also shows what was worked out on ``day``, the build date
    (receptions of the next weeks, overdue commitments): the frames leave the day out, so
    that every other page is reused from one day to the next."""
    return None if key is None else digest(key, str(day))


def dataset_key(published: Any) -> str | None:
    """What a dataset's own pages depend on besides the theme frame: the fingerprint of
    its folder and the extras declared with ``key_extras`` (None, "render", when no pages
    are being reused). Worked out once per build: every generator and language run asks."""
    reuse, store = _ACTIVE, build_cache.active()
    if reuse is None or store is None:
        return None
    if published.slug not in reuse.dataset_keys:
        fingerprint = store.fingerprint(published.slug)
        extras = [(name, published.extras.get(name)) for name in sorted(_KEYED_EXTRAS)]
        key = None if fingerprint is None else digest(fingerprint, extras)
        reuse.dataset_keys[published.slug] = key
    return reuse.dataset_keys[published.slug]


def keep_identical_files(staging: Path, final: Path) -> int:
    """Hard-link files of ``staging`` that are byte-identical in the previous ``final``.

    The swap still replaces the whole folder, but an unchanged page keeps its inode and
    mtime, so ``rsync``-style deploys and HTTP caches (Last-Modified) see no change.
    Returns how many files were kept.
    """
    if not final.is_dir():
        return 0
    kept = 0
    for folder, _names, files in os.walk(staging):
        for name in files:
            new = Path(folder) / name
            old = final / new.relative_to(staging)
            try:
                if old.is_symlink() or new.is_symlink():
                    continue
                old_stat, new_stat = old.stat(), new.stat()
                if os.path.samestat(old_stat, new_stat):
                    kept += 1  # already a link to it (a page reused by reuse.py)
                    continue
                if old_stat.st_size != new_stat.st_size:
                    continue
                if old.read_bytes() != new.read_bytes():
                    continue
                temporary = new.with_name(f".{name}.keep-{os.getpid()}")
                os.link(old, temporary)
                temporary.replace(new)
                kept += 1
            except OSError:
                continue  # another file system, a vanished file: keep the new copy
    return kept
