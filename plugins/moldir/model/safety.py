"""Untrusted names and URLs: the one place where they become paths and links.

A descriptor, a CSV or a Markdown page can come from anyone who opens a pull request, so
every name that becomes part of an output path goes through :func:`safe_name` (checked at
validation, with an error naming the field) and :func:`output_path` (asserted when a file is
written), and every URL that becomes a link goes through :func:`safe_url`.
"""

from __future__ import annotations

import re
from pathlib import Path

# What a dataset folder, resource or view name may be, since it becomes a file or folder
# name in the published site (docs/editors.md): letters, digits, ".", "_" and "-", starting
# with a letter or digit, at most 100 characters. No "/", no "..", nothing hidden.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
NAME_RULE = (
    'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 100 characters'
)

# The only schemes a link from input may have; anything else (javascript:, data:, vbscript:,
# file:) is never rendered as a link.
SAFE_URL_SCHEMES = ("https", "http", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop ASCII control characters and whitespace from URLs before reading the scheme
# ("java\tscript:" is "javascript:"), so they are removed before the scheme is checked.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")


class UnsafeOutputPath(Exception):
    """A file would be written outside the folder being built."""


def safe_name(name: object) -> bool:
    """Whether ``name`` may become a file or folder name in the site."""
    return isinstance(name, str) and bool(NAME_PATTERN.match(name)) and ".." not in name


def output_path(root: Path, *parts: str) -> Path:
    """``root / parts`` resolved, asserted to lie inside ``root``.

    Every writer of the site goes through this: a name that climbs out (``../x``), an
    absolute part or a symbolic link that leads elsewhere raises ``UnsafeOutputPath``
    instead of writing outside the staging folder.
    """
    base = Path(root).resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and not target.is_relative_to(base):
        raise UnsafeOutputPath(f"refusing to write {'/'.join(parts)!r}: it leaves {base}")
    return target


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read from ``value`` (lowercase), or None if relative."""
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", value))
    return match.group(1).lower() if match else None


def safe_url(value: object) -> str | None:
    """``value`` if it is an absolute ``https``, ``http`` or ``mailto`` URL, else None.

    Relative URLs are refused too: a URL from a descriptor is meant to lead elsewhere, and
    a relative one would resolve against the portal's own pages.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or _IGNORED_IN_URL.search(text.replace(" ", "")):
        # Control characters or line breaks inside a URL: never a link.
        return None
    if url_scheme(text) not in SAFE_URL_SCHEMES:
        return None
    if text.lower().startswith(("http:", "https:")) and not re.match(
        r"^https?://[^/\s]", text, re.IGNORECASE
    ):
        return None
    return text


# The folder the running build writes into (its staging folder), set by build.py; every
# writer of the site passes its target through ``checked_output``.
_output_root: Path | None = None


def set_output_root(root: Path | None) -> None:
    """Confine every ``checked_output`` of this process to ``root`` (None: no build runs)."""
    global _output_root
    _output_root = Path(root).resolve() if root is not None else None


def checked_output(path: str | Path) -> Path:
    """``path`` resolved, asserted to lie inside the folder being built (when a build is
    running): the last guard before a file is opened for writing."""
    target = Path(path).resolve()
    if _output_root is not None and not target.is_relative_to(_output_root):
        raise UnsafeOutputPath(f"refusing to write {path}: it is outside {_output_root}")
    return target
