"""Files on disk, content-addressed: the bodies of downloads (CSV, JSON, XLSX, Parquet, zip).

A 1,000,000-row table makes ~300 MB of downloads. Held as ``bytes`` they stayed in memory for
the whole build and in every pickled cache entry; written once into a ``FileStore`` they cost
a path, a size and a digest, and are copied into the site only when it is written.

A ``FileStore`` is a folder of files named by their SHA-256 (``ab/abcdef…``), so the same
body is stored once and a remembered download can never point at changed bytes. ``moldir
build`` keeps it in ``.moldir-cache/files/`` (``BuildCache.files``); everything else uses a
temporary store that is removed when the process ends (``temporary_store``).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20  # copy and hash in 1 MiB pieces


@dataclass(frozen=True)
class StoredFile:
    """A body in a ``FileStore``: where it is, how many bytes, their SHA-256."""

    path: Path
    size: int
    sha256: str

    def exists(self) -> bool:
        """Still on disk with its size (a cleaned or moved cache folder loses it)."""
        try:
            return self.path.stat().st_size == self.size
        except OSError:
            return False

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def open(self) -> BinaryIO:
        return self.path.open("rb")

    def copy_to(self, target: Path) -> None:
        """Write the body to ``target`` (a new file: the store's copy is never shared, so
        nothing done to the site's file can change a remembered body)."""
        shutil.copyfile(self.path, target)


class FileStore:
    """A folder of content-addressed files (see the module's docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _place(self, temporary: Path, sha256: str, size: int) -> StoredFile:
        final = self.root / sha256[:2] / sha256
        final.parent.mkdir(parents=True, exist_ok=True)
        # The same bytes may be stored already (another dataset, an earlier build): rename
        # over them atomically, so a concurrent reader never sees half a file.
        os.replace(temporary, final)
        return StoredFile(final, size, sha256)

    def write(self, produce: Callable[[BinaryIO], None]) -> StoredFile:
        """Store what ``produce(out)`` writes to ``out`` (streamed: never all in memory)."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".writing-", dir=self.root)
        temporary = Path(name)
        try:
            # A real, seekable file: zipfile and pyarrow write to it as to any file (a zip
            # written to a stream would carry data descriptors: other bytes).
            with os.fdopen(handle, "w+b") as out:
                produce(out)
                out.flush()
                out.seek(0)
                digest, size = hashlib.sha256(), 0
                while piece := out.read(CHUNK):
                    digest.update(piece)
                    size += len(piece)
            return self._place(temporary, digest.hexdigest(), size)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def put(self, data: bytes) -> StoredFile:
        """Store ``data``."""
        return self.write(lambda out: out.write(data))

    def copy(self, source: Path) -> StoredFile:
        """Store a copy of the file ``source`` (read in pieces)."""

        def produce(out: BinaryIO) -> None:
            with source.open("rb") as handle:
                while piece := handle.read(CHUNK):
                    out.write(piece)

        return self.write(produce)

    def keep_only(self, digests: set[str]) -> int:
        """Delete every stored file whose digest is not in ``digests`` (the files of the
        entries the cache keeps); the number deleted."""
        deleted = 0
        if not self.root.is_dir():
            return 0
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.name not in digests:
                    path.unlink(missing_ok=True)
                    deleted += 1
        return deleted


_TEMPORARY: dict[int, FileStore] = {}


def temporary_store() -> FileStore:
    """A store for this process, removed when it ends (runs without a build cache)."""
    pid = os.getpid()
    if pid not in _TEMPORARY:
        root = Path(tempfile.mkdtemp(prefix="moldir-files-"))
        _TEMPORARY[pid] = FileStore(root)

        def remove(root: Path = root, owner: int = pid) -> None:
            # A forked worker inherits the handler; only the process that made it removes it.
            if os.getpid() == owner:
                shutil.rmtree(root, ignore_errors=True)

        atexit.register(remove)
    return _TEMPORARY[pid]
