"""Every private Pelican and Jinja API Moldir relies on, in one place.

Moldir uses Pelican and Jinja through their public APIs (signals, generators, readers,
``Environment``) except where no public API does the job. Those few uses are here, each
with why it is needed, so that a new release is checked in one place:
``tests/test_pelican_compat.py`` tests each of them against the installed versions, and
:func:`problems` is checked when the plugin is registered, so an incompatible release
stops the build with a message that says what changed instead of a stray
``AttributeError`` deep in a run. The versions tested are the pins in ``pyproject.toml``
(:data:`TESTED`).

- ``Writer._open_w`` (Pelican): every file Pelican writes goes through it. The reusing
  writer must check the path (``safety.checked_output``) and unlink a file hard-linked
  from the previous build *before* it is opened; Pelican's ``content_written`` signal
  comes only after. :class:`OpeningWriter` turns it into an ``opening(path)`` hook.
- ``MarkdownReader._md``, ``._source_path``, ``._parse_metadata`` (Pelican): the cached
  Markdown reader (``site/markdown.py``) converts a file itself and has Pelican turn the raw
  metadata lines into metadata; :func:`markdown_for`, :func:`markdown_metadata`.
- ``Content._content``, ``Content._summary`` (Pelican): the HTML of a page or article as
  read, sanitised at ``content_object_init`` before Pelican derives anything from it
  (``site/content.py``); :func:`content_html`, :func:`set_content_html`, :func:`set_summary`.
- The lists of a content generator (``articles``, ``pages``…) are the very lists its
  context holds: the language fallback (``site/i18n.py``) replaces their items in place;
  :func:`replace_items`.
- ``jinja2.compiler.CodeGenerator`` and its frames' ``symbols.loads`` (Jinja): the names a
  template looks up, globals included (``jinja2.meta.find_undeclared_variables`` drops
  the globals, and a global may read the portal); :func:`resolved_names`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator
from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.writers import Writer

# The releases these internals are tested with (the pins of pyproject.toml).
TESTED = {"pelican": ">=4.11,<4.13", "jinja2": ">=3.1,<3.2"}


# --- Pelican's writer -----------------------------------------------------------------


class OpeningWriter(Writer):
    """Pelican's writer with a hook called with the path of each file before it is opened
    for writing (``Writer._open_w``)."""

    def opening(self, filename: str) -> None:
        """Called before ``filename`` is opened for writing (subclasses check, unlink…)."""

    def _open_w(self, filename, encoding, override=False):
        self.opening(filename)
        return super()._open_w(filename, encoding, override)


# --- Pelican's Markdown reader -----------------------------------------------------------


def markdown_for(reader: MarkdownReader, source_path: str) -> Markdown:
    """A fresh Markdown converter of ``reader`` for ``source_path``, set where Pelican's
    metadata parsing looks for it (it converts formatted fields such as ``Summary`` with
    the reader's own converter)."""
    reader._source_path = source_path
    reader._md = Markdown(**reader.settings["MARKDOWN"])
    return reader._md


def markdown_metadata(reader: MarkdownReader, raw: dict[str, list[str]]) -> dict[str, Any]:
    """Pelican's metadata from the raw ``Meta`` lines of a Markdown file (after
    :func:`markdown_for` for the same file)."""
    return reader._parse_metadata(raw)


# --- Pelican's content objects ------------------------------------------------------------


def content_html(content: Any) -> Any:
    """The HTML of a page or article as read (None when it has none)."""
    return getattr(content, "_content", None)


def set_content_html(content: Any, html: str) -> None:
    """Replace the HTML of a page or article before Pelican derives anything from it."""
    content._content = html


def set_summary(content: Any, summary: str) -> None:
    """Replace the summary Pelican took from the metadata at ``content_object_init`` (it
    copies ``_summary`` back into the metadata when it rewrites links between pages)."""
    content._summary = summary


# --- Pelican's content lists ---------------------------------------------------------------


def replace_items(items: list[Any], kept: list[Any]) -> None:
    """Make a content generator's list (``generator.articles``…) hold ``kept``: in place,
    since the generator's context holds the same list object."""
    items[:] = kept


# --- Jinja's code generator ------------------------------------------------------------------


class _ResolvedNames(CodeGenerator):
    """Jinja's code generator used only to collect the names a template looks up."""

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


def resolved_names(environment: Environment, tree: nodes.Template) -> set[str]:
    """Every name ``tree`` (a parsed template) looks up in its context or the globals."""
    reader = _ResolvedNames(environment)
    reader.visit(tree)
    return reader.names


# --- the check -------------------------------------------------------------------------------


def _has_method(owner: type, name: str, parameters: tuple[str, ...]) -> bool:
    method: Callable | None = getattr(owner, name, None)
    if not callable(method):
        return False
    return tuple(inspect.signature(method).parameters)[: len(parameters)] == parameters


def problems() -> list[str]:
    """What the installed Pelican and Jinja lack of what this module relies on ([] when
    they are compatible). Cheap, names and signatures only: how they behave is
    ``tests/test_pelican_compat.py``'s."""
    found = []
    if not _has_method(Writer, "_open_w", ("self", "filename", "encoding", "override")):
        found.append("pelican.writers.Writer._open_w(filename, encoding, override)")
    if not _has_method(MarkdownReader, "_parse_metadata", ("self", "meta")):
        found.append("pelican.readers.MarkdownReader._parse_metadata(meta)")
    if not _has_method(CodeGenerator, "enter_frame", ("self", "frame")):
        found.append("jinja2.compiler.CodeGenerator.enter_frame(frame)")
    if not _has_method(CodeGenerator, "write", ("self", "x")):
        found.append("jinja2.compiler.CodeGenerator.write(x)")
    return found


def check() -> None:
    """Raise ``RuntimeError`` naming what changed when the installed Pelican or Jinja is
    not one whose internals Moldir knows (see :data:`TESTED`)."""
    missing = problems()
    if missing:
        installed = ", ".join(f"{name} {version(name)}" for name in TESTED)
        tested = ", ".join(f"{name}{spec}" for name, spec in TESTED.items())
        raise RuntimeError(
            f"Moldir does not support the installed {installed} (tested: {tested}); "
            f"missing or changed: {'; '.join(missing)}. Install a tested release."
        )
