"""Reusing the pages of the previous build that nothing they depend on has changed.

Pelican renders every page on every run. During ``moldir build`` (with its cache active)
Moldir's writer first works out what a page depends on and, when all of it is as it was
for the previous build of the same output folder, hard-links the previous file into the
staging folder instead of rendering the template again:

* **News, pages, tags, categories, archives** (Pelican's own generators) depend on the
  *content frame*: the Moldir code, the settings files, the theme, everything under
  ``content/``, ``MOLDIR_*`` variables and the day. Changing a dataset leaves them alone;
  changing an article re-renders them all (lists, archives and neighbours link each other).
* **A dataset's pages** (its page, its chart pages) depend on the *theme frame* (the same
  without ``content/``) and on that dataset: the fingerprint of its folder (cache.py) and
  its git history. Changing one dataset re-renders its own pages only.
* **Everything else** — the home page, the catalogue, the quality report, topic pages,
  search — reads the whole portal and is rendered every time (there are few of them).

A page is only reused when its template, with everything it extends, includes and imports,
reads nothing but names known to be covered by its key (``template_reads``): a theme that
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

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator
from pelican.writers import Writer

from moldir.incremental import cache
from moldir.model.safety import checked_output

logger = logging.getLogger(__name__)

# The keywords ``PortalGenerator.write_page`` uses to pass a page's dependency key and the
# names of the values it covers to the writer (popped before rendering); a key of ``None``
# means "render every time". Pages written without them come from Pelican's generators.
DEPENDS_ON = "moldir_depends_on"
COVERED = "moldir_covered"
PELICAN = object()

# Names a page may read and still be reused: Pelican's content-derived variables (covered
# by the content frame), Jinja's and gettext's built-ins, and Moldir's template globals
# that only format or read settings. Any other name (``portal``, ``moldir_portal``, a new
# global) makes the page render every time. Settings (upper-case names) are covered by
# the frame too, except the ones that carry the portal and the build's own objects.
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
GLOBAL_NAMES = frozenset(
    {
        "range", "dict", "lipsum", "cycler", "joiner", "namespace",
        "_", "gettext", "ngettext", "pgettext", "npgettext",
        "data_url", "MOLDIR_LOCALE", "localized", "language_links", "frequency_label",
        "opendata", "chart_svg", "chart_alternative", "chart_alternative_lang", "chart_table",
        # moldir.pipeline.labels: words of the descriptor (and the kind schemas, which are code) in
        # the page's language (publisher_label and licence_label read the portal: not here).
        "localized_fields", "field_title", "value_label", "publisher_name", "licence_title",
        "source_title", "localized_keywords", "type_word", "constraints_text",
        "readable_in_page_language", "contact_name", "language_name_in", "field_description",
        "kind_descriptor", "kind_text", "session_label", "body_label",
        # moldir.features.opendata: a version of a dataset's data in words (from its history,
        # which the dataset's key covers).
        "version_lines", "version_title",
    }
)  # fmt: skip
PORTAL_SETTINGS = frozenset({"MOLDIR_PORTAL"})


# ----------------------------------------------------------------------------- templates


class _ReadNames(CodeGenerator):
    """Jinja's code generator used only to collect the names a template looks up.

    Unlike ``jinja2.meta.find_undeclared_variables`` it keeps the environment's globals:
    a global that reads the portal must make a page non-reusable too.
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment, "<reads>", "<reads>")
        self.names: set[str] = set()

    def write(self, x: str) -> None:
        """Nothing is written: only the names matter."""

    def enter_frame(self, frame) -> None:
        super().enter_frame(frame)
        for action, param in frame.symbols.loads.values():
            if action == "resolve":
                self.names.add(param)


def template_reads(environment: Environment, name: str) -> frozenset[str] | None:
    """Names read by template ``name`` and every template it extends, includes or imports.

    Macros it imports by name are subtracted (they are its own code, not data). None when
    the set cannot be known (a template chosen at run time, a syntax the analysis refuses).
    """
    # Each Pelican generator has its own environment over the same theme: the analysis is
    # kept for the whole build (the theme cannot change during it), per template file.
    memo = _ACTIVE.reads if _ACTIVE is not None else {}
    known = memo.get((id(environment), name), memo)  # the memo itself: "not seen yet"
    if known is not memo:
        return known
    _source, filename, _uptodate = environment.loader.get_source(environment, name)
    if filename not in memo:
        memo[filename] = _closure(environment, name)
    memo[(id(environment), name)] = memo[filename]
    return memo[filename]


def _closure(environment: Environment, name: str) -> frozenset[str] | None:
    names: set[str] = set()
    imported: set[str] = set()
    pending, seen = [name], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source, _filename, _uptodate = environment.loader.get_source(environment, current)
            tree = environment.parse(source, current)
            reader = _ReadNames(environment)
            reader.visit(tree)
        except Exception as problem:  # any failure means "do not reuse"
            logger.debug("reuse: cannot analyse %s: %s", current, problem)
            return None
        names |= reader.names
        for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            template = node.template
            if not isinstance(template, nodes.Const) or not isinstance(template.value, str):
                return None  # chosen at run time: its reads cannot be known here
            pending.append(template.value)
            if isinstance(node, nodes.Import):
                imported.add(node.target)
            elif isinstance(node, nodes.FromImport):
                imported.update(alias or item for item, alias in _pairs(node.names))
        imported.update(macro.name for macro in tree.find_all(nodes.Macro))
        imported.update(block.name for block in tree.find_all(nodes.Block))
    return frozenset(names - imported)


def _pairs(names: Iterable[Any]) -> Iterable[tuple[str, str | None]]:
    for entry in names:
        yield (entry, None) if isinstance(entry, str) else (entry[0], entry[1])


def reusable_reads(reads: frozenset[str] | None, covered: Iterable[str]) -> bool:
    """True when every name in ``reads`` is covered by a page's key."""
    if reads is None:
        return False
    allowed = CONTENT_NAMES | GLOBAL_NAMES | set(covered)
    return all(
        name in allowed or (name.isupper() and name not in PORTAL_SETTINGS) for name in reads
    )


# ----------------------------------------------------------------------------- the build


class PageReuse:
    """The previous build's page manifest and the one this build writes."""

    def __init__(
        self, manifest_path: Path, staging: Path, final: Path, frames: dict[str, str]
    ) -> None:
        self.manifest_path = manifest_path
        self.staging = staging
        self.final = final
        self.frames = frames  # "content" and "theme" frame keys (cache.frame_fingerprints)
        self._staging = os.path.abspath(staging)
        self._show_progress = cache.show_progress()
        self._last_tick = 0.0
        self._ticked = False
        self.previous: dict[str, list] = {}
        self.current: dict[str, list] = {}
        self.reused = 0
        self.rendered = 0
        # template_reads: per template file, and per (environment, name) to find it fast.
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


def start(store: cache.BuildCache, staging: Path, final: Path, frames: dict[str, str]) -> None:
    """Reuse pages of ``final`` while building into ``staging`` (``moldir build`` only)."""
    global _ACTIVE
    _ACTIVE = PageReuse(
        store.output_record(final).with_suffix(".pages.json"), staging, final, frames
    )


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
    path: Path, content: bytes | Callable[[], bytes], depends_on: str | None = None
) -> None:
    """Write a file of the site (a download, a chart file) into the staging folder, or
    link the previous build's copy when ``depends_on`` is the key it was written under.
    ``content`` may be a function, called only when the file is written."""
    reuse = _ACTIVE
    files_key = key = None
    if reuse is not None and depends_on is not None:
        files_key = reuse.relative(path)
        key = cache.digest(reuse.frames["theme"], files_key, depends_on)
        if reuse.try_reuse(files_key, key):
            return
    path = checked_output(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    unlink_shared(path)
    path.write_bytes(content() if callable(content) else content)
    if reuse is not None:
        reuse.record(files_key, key, [reuse.relative(path)])


def datasets_key(datasets: Iterable[Any]) -> str | None:
    """What a page built from several datasets (a topic page) depends on, or None."""
    keys = {published.slug: dataset_key(published) for published in datasets}
    return None if None in keys.values() else cache.digest(sorted(keys.items()))


def dataset_key(published: Any) -> str | None:
    """What a dataset's own pages depend on besides the theme frame: the fingerprint of
    its folder and its git history (None, "render", when no pages are being reused).
    Worked out once per build: every generator and language run asks for it."""
    reuse, store = _ACTIVE, cache.active()
    if reuse is None or store is None:
        return None
    if published.slug not in reuse.dataset_keys:
        fingerprint = store.fingerprint(published.slug)
        history = published.extras.get("history")
        key = None if fingerprint is None else cache.digest(fingerprint, history)
        reuse.dataset_keys[published.slug] = key
    return reuse.dataset_keys[published.slug]


class ReusingWriter(Writer):
    """Pelican's writer, hard-linking pages whose dependencies have not changed."""

    def __init__(self, output_path, settings=None) -> None:
        super().__init__(output_path, settings=settings)
        self._written_now: list[str] | None = None

    def _open_w(self, filename, encoding, override=False):
        if filename != os.devnull:
            checked_output(filename)
        unlink_shared(filename)
        if self._written_now is not None and filename != os.devnull:
            self._written_now.append(filename)
        return super()._open_w(filename, encoding, override)

    def write_file(self, name, template, context, *args, **kwargs):
        depends_on = kwargs.pop(DEPENDS_ON, PELICAN)
        covered = kwargs.pop(COVERED, ())
        reuse = _ACTIVE
        if reuse is None or not name:
            return super().write_file(name, template, context, *args, **kwargs)
        files_key = key = None
        if depends_on is not None:
            if depends_on is PELICAN:  # Pelican's own generators: the content frame
                frame, extra, covered = reuse.frames["content"], None, ()
            else:
                frame, extra = reuse.frames["theme"], depends_on
            if reusable_reads(template_reads(template.environment, template.name), covered):
                folder = reuse.relative(self.output_path)
                files_key = name if folder == "." else f"{folder}/{name}"
                language = self.settings.get("DEFAULT_LANG")
                key = cache.digest(frame, files_key, template.name, language, extra)
                if reuse.try_reuse(files_key, key):
                    return None
        self._written_now = []
        try:
            result = super().write_file(name, template, context, *args, **kwargs)
            written = [reuse.relative(path) for path in self._written_now]
        finally:
            self._written_now = None
        reuse.record(files_key, key, written)
        return result


def get_writer(pelican_object) -> type[Writer]:
    return ReusingWriter
