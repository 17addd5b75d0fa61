"""Pelican's writer, reusing the pages of the previous build (``moldir build`` only).

``ReusingWriter`` works out what a page depends on — its template's reads
(``template_reads``, with every template it extends, includes or imports), the key its
generator passed — and asks ``moldir.incremental.reuse`` (the pure side: keys, the manifest
of the last build, the names a reusable page may read) whether the page can be linked from
the previous output; otherwise it renders the page as Pelican's writer does and records it.
Every file it opens is confined to the staging folder (``safety.checked_output``), and a
file shared with the previous output (a hard link) is unlinked before it is written.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Any

from jinja2 import Environment, nodes
from pelican.writers import Writer

from moldir.incremental import reuse as reuse_pages
from moldir.incremental.fingerprints import digest
from moldir.model.safety import checked_output
from moldir.site import pelican_compat

logger = logging.getLogger(__name__)


class ReusingWriter(pelican_compat.OpeningWriter):
    """Pelican's writer, hard-linking pages whose dependencies have not changed."""

    def __init__(self, output_path, settings=None) -> None:
        super().__init__(output_path, settings=settings)
        self._written_now: list[str] | None = None

    def opening(self, filename: str) -> None:
        if filename != os.devnull:
            checked_output(filename)
        reuse_pages.unlink_shared(filename)
        if self._written_now is not None and filename != os.devnull:
            self._written_now.append(filename)

    def write_file(self, name, template, context, *args, **kwargs):
        depends_on = kwargs.pop(reuse_pages.DEPENDS_ON, reuse_pages.PELICAN)
        covered = kwargs.pop(reuse_pages.COVERED, ())
        reuse = reuse_pages.active()
        if reuse is None or not name:
            return super().write_file(name, template, context, *args, **kwargs)
        files_key = key = None
        if depends_on is not None:
            if depends_on is reuse_pages.PELICAN:  # Pelican's generators: the content frame
                frame, extra, covered = reuse.frames["content"], None, ()
            else:
                frame, extra = reuse.frames["theme"], depends_on
            reads = template_reads(template.environment, template.name)
            if reuse_pages.reusable_reads(reads, covered):
                folder = reuse.relative(self.output_path)
                files_key = name if folder == "." else f"{folder}/{name}"
                language = self.settings.get("DEFAULT_LANG")
                key = digest(frame, files_key, template.name, language, extra)
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


def get_writer(pelican_object: Any) -> type[Writer]:
    """Pelican's ``get_writer`` receiver: Moldir's writer for every run."""
    return ReusingWriter


# --------------------------------------------------------------------- what templates read


def template_reads(environment: Environment, name: str) -> frozenset[str] | None:
    """Names read by template ``name`` and every template it extends, includes or imports.

    Macros it imports by name are subtracted (they are its own code, not data). None when
    the set cannot be known (a template chosen at run time, a syntax the analysis refuses).
    """
    # Each Pelican generator has its own environment over the same theme: the analysis is
    # kept for the whole build (the theme cannot change during it), per template file.
    active = reuse_pages.active()
    memo = active.reads if active is not None else {}
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
            names |= pelican_compat.resolved_names(environment, tree)
        except Exception as problem:  # any failure means "do not reuse"
            logger.debug("reuse: cannot analyse %s: %s", current, problem)
            return None
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
