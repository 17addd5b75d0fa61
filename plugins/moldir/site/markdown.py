"""Pelican's Markdown reading, with the conversions of the last build reused.

``CachingMarkdownReader`` is Pelican's ``MarkdownReader`` reading the HTML and raw metadata
of an unchanged file from the build's Markdown store (``moldir.incremental.markdown``,
active during ``moldir build`` only); without a store it is Pelican's reader.
"""

from __future__ import annotations

from typing import Any

from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from moldir.incremental import markdown as markdown_store
from moldir.site import pelican_compat


class CachingMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader; the conversion is reused when the file is unchanged."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        store = markdown_store.active()
        if store is None:
            return super().read(source_path)
        key = markdown_store.key_of(source_path)
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
