"""The build cache of a project: ``<project>/.moldir-cache/`` (git-ignored).

Used by ``moldir build`` only (``activate``); ``moldir validate`` and tests without it
compute everything. For an unchanged dataset the results of the pipeline (its validation
report, typed tables and downloads) and of the features (its charts, search terms…) are
read from ``datasets/<slug>.pickle`` instead of being computed again; a changed dataset
replaces its own entry only, so the cache stays as large as the portal.

``BuildCache`` is the ``moldir.pipeline.memo.Memo`` the site passes to the pipeline:
results are keyed by everything they depend on (fingerprints.py), every caller gets a copy
of its own, and nothing of a failed build is written.
"""

from __future__ import annotations

import io
import json
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from moldir.incremental.fingerprints import dataset_fingerprint, digest, tree_listing
from moldir.model.stored import FileStore, StoredFile

logger = logging.getLogger(__name__)
T = TypeVar("T")

CACHE_DIR = ".moldir-cache"
# A part of an entry left in its file until a caller asks for it (``BuildCache._load``).
ON_DISK: Any = object()


class BuildCache:
    """The cache folder of one project.

    An entry holds the results of one dataset, each under a part name ("validated",
    "derived", "feature:charts"…) and keyed by the dataset's fingerprint. A result is
    pickled when it is computed and unpickled whenever it is asked for: callers always get
    their own copy, so nothing a build does to a result (a check adding its errors, a
    feature adding extras) reaches the cache or the next build.

    The files a result names (``StoredFile``: the bodies of downloads) live in ``files/``,
    content-addressed, and are pickled as references (their digest and size), so an entry
    stays small and its files are read only when the site copies them. A result whose files
    are gone (a cleaned ``files/``) is computed again; files no entry names any more are
    deleted when the cache is saved (``files.json`` lists each entry's files).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0
        # Dataset fingerprints of this build, by slug (set while validating).
        self._fingerprints: dict[str, str] = {}
        # Entries read or made during this build ({"fingerprint", "parts": {name: pickled
        # bytes}}); the changed ones are written once, at the end of a successful build
        # (``save``), not at each part an entry gains.
        self._loaded: dict[str, dict[str, Any]] = {}
        self._unsaved: set[str] = set()
        self.files = FileStore(root / "files")

    def remembers_dataset(self, folder: Path, inputs: Any) -> bool:
        """Whether the validation of ``folder`` with ``inputs`` is in the cache."""
        fingerprint = dataset_fingerprint(folder, inputs)
        return "validated" in self._load(folder.name, fingerprint)["parts"]

    def remembers(self, slug: str, part: str) -> bool:
        """Whether ``part`` of ``slug`` is in the cache for this build's fingerprint."""
        fingerprint = self.fingerprint(slug)
        if fingerprint is None:
            return False
        return part in self._load(slug, fingerprint)["parts"]

    def file_store(self) -> FileStore:
        """Where the pipeline writes the files of the results it computes."""
        return self.files

    def _dumps(self, result: Any) -> tuple[bytes, set[str]]:
        """``result`` pickled, with its stored files as references; their digests."""
        named: set[str] = set()
        root = self.files.root

        class Pickler(pickle.Pickler):
            def persistent_id(self, obj: Any) -> Any:
                if isinstance(obj, StoredFile) and obj.path.parent.parent == root:
                    named.add(obj.sha256)
                    return ("stored", obj.sha256, obj.size)
                return None

        buffer = io.BytesIO()
        Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(result)
        return buffer.getvalue(), named

    def _loads(self, data: bytes) -> Any:
        """A pickled result; ``FileNotFoundError`` when a file it names is gone."""
        store = self.files

        class Unpickler(pickle.Unpickler):
            def persistent_load(self, pid: Any) -> Any:
                _kind, sha256, size = pid
                stored = StoredFile(store.root / sha256[:2] / sha256, size, sha256)
                if not stored.exists():
                    raise FileNotFoundError(stored.path)
                return stored

        return Unpickler(io.BytesIO(data)).load()

    def _entry(self, slug: str) -> Path:
        return self.root / "datasets" / f"{slug}.pickle"

    def _read(self, slug: str, fingerprint: str) -> dict[str, Any] | None:
        """The entry of ``slug`` on disk, when it is one for ``fingerprint``."""
        entry: Any = None
        try:
            with open(self._entry(slug), "rb") as stream:
                entry = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None
        if (
            not isinstance(entry, dict)
            or entry.get("fingerprint") != fingerprint
            or not isinstance(entry.get("parts"), dict)
        ):
            return None
        return entry

    def _load(self, slug: str, fingerprint: str) -> dict[str, Any]:
        """The entry of ``slug`` for ``fingerprint`` (an empty one when there is none).

        The pickled parts of an entry read from disk are left there (``ON_DISK``) and read
        when a caller asks for one: held for the whole build, the parts of a national
        portal's 10,000 entries were ~260 MB of bytes nobody would read twice."""
        loaded = self._loaded.get(slug)
        if loaded is not None and loaded["fingerprint"] == fingerprint:
            return loaded
        entry = self._read(slug, fingerprint)
        if entry is None:
            entry = {"fingerprint": fingerprint, "parts": {}}
        else:
            entry["parts"] = dict.fromkeys(entry["parts"], ON_DISK)
        self._loaded[slug] = entry
        return entry

    def _stored_part(self, slug: str, entry: dict[str, Any], part: str) -> bytes | None:
        """The pickled ``part`` of ``entry``, read from disk when it was left there."""
        stored = entry["parts"].get(part)
        if stored is ON_DISK:
            on_disk = self._read(slug, entry["fingerprint"])
            stored = on_disk["parts"].get(part) if on_disk is not None else None
            if stored is None:  # changed or removed since: computed again
                del entry["parts"][part]
                entry.get("files", {}).pop(part, None)
        return stored

    def save(self) -> None:
        """Write the entries made or extended during this build (after a successful build:
        ``deactivate(saved=True)``)."""
        for slug in sorted(self._unsaved):
            entry = self._loaded[slug]
            left = [name for name, value in entry["parts"].items() if value is ON_DISK]
            if left:  # the parts this build did not change, read back once
                on_disk = self._read(slug, entry["fingerprint"]) or {"parts": {}}
                for part in left:
                    entry["parts"][part] = on_disk["parts"].get(part)
                    if entry["parts"][part] is None:  # changed or removed since
                        del entry["parts"][part]
                        entry.get("files", {}).pop(part, None)
            path = self._entry(slug)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".tmp-{os.getpid()}")
            try:
                with open(temporary, "wb") as stream:
                    pickle.dump(self._loaded[slug], stream, protocol=pickle.HIGHEST_PROTOCOL)
                temporary.replace(path)  # atomic: a crash never leaves half an entry
            except OSError as problem:
                logger.debug("cache: %s not stored: %s", slug, problem)
                temporary.unlink(missing_ok=True)
        if self._unsaved:
            self._collect_files()
        self._unsaved.clear()

    def _collect_files(self) -> None:
        """Record the files each saved entry names; delete the files none names."""
        index_path = self.root / "files.json"
        try:
            index = json.loads(index_path.read_text())
        except (OSError, ValueError):
            index = {}
        if not isinstance(index, dict):
            index = {}
        for slug in self._unsaved:
            parts = self._loaded[slug].get("files", {})
            index[slug] = sorted({sha for names in parts.values() for sha in names})
        # Entries of datasets that are gone keep their files until their entry is deleted.
        index = {slug: names for slug, names in index.items() if self._entry(slug).exists()}
        temporary = index_path.with_suffix(f".tmp-{os.getpid()}")
        temporary.write_text(json.dumps(index, sort_keys=True))
        temporary.replace(index_path)
        self.files.keep_only({sha for names in index.values() for sha in names})

    def fingerprint(self, slug: str) -> str | None:
        """The fingerprint of dataset ``slug`` in this build (None before it was validated)."""
        return self._fingerprints.get(slug)

    def _part(self, slug: str, fingerprint: str, part: str, compute: Callable[[], T]) -> T:
        entry = self._load(slug, fingerprint)
        stored = self._stored_part(slug, entry, part)
        if stored is not None:
            try:
                result = self._loads(stored)  # a copy of its own for every caller
            except FileNotFoundError:
                logger.debug("cache: %s %s names a file that is gone", slug, part)
            else:
                self.hits += 1
                return result
        self.misses += 1
        result = compute()
        try:
            # Pickled now, before the caller can change it: the entry keeps the result as
            # it was computed.
            entry["parts"][part], named = self._dumps(result)
        except (pickle.PicklingError, TypeError, AttributeError) as problem:
            logger.debug("cache: %s %s not stored: %s", slug, part, problem)
            return result
        entry.setdefault("files", {})[part] = sorted(named)
        self._unsaved.add(slug)
        return result

    def dataset(self, folder: Path, inputs: Any, compute: Callable[[], T]) -> T:
        """``compute()``, the validation of dataset ``folder``, cached under the dataset's
        fingerprint: its files, the Moldir code and ``inputs`` (whatever else the result
        and the results derived from it depend on: options, settings)."""
        fingerprint = dataset_fingerprint(folder, inputs)
        self._fingerprints[folder.name] = fingerprint
        return self._part(folder.name, fingerprint, "validated", compute)

    def part(self, slug: str, part: str, compute: Callable[[], T]) -> T:
        """``compute()``, a result computed from the validated dataset ``slug`` alone (its
        typed tables and downloads, its charts…) and from what ``part`` names, cached
        beside its validation (computed every time before ``dataset`` saw ``slug``)."""
        fingerprint = self.fingerprint(slug)
        if fingerprint is None:
            return compute()
        return self._part(slug, fingerprint, part, compute)

    def output_record(self, final: Path) -> Path:
        return self.root / "outputs" / (digest(str(final.resolve()))[:16] + ".json")

    def output_unchanged(self, final: Path, fingerprint: str) -> bool:
        """True when ``final`` was built from exactly this fingerprint and is still there."""
        try:
            record = json.loads(self.output_record(final).read_text())
        except (OSError, ValueError):
            return False
        if record.get("fingerprint") != fingerprint or not final.is_dir():
            return False
        # The output folder itself must be as the build left it (not edited or emptied).
        return record.get("listing") == digest(tree_listing(final))

    def remember_output(self, final: Path, fingerprint: str) -> None:
        path = self.output_record(final)
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"fingerprint": fingerprint, "listing": digest(tree_listing(final))}
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        temporary.write_text(json.dumps(record))
        temporary.replace(path)


_ACTIVE: BuildCache | None = None


def activate(project: Path) -> BuildCache:
    """Use ``project/.moldir-cache`` for the rest of this build."""
    global _ACTIVE
    _ACTIVE = BuildCache(project / CACHE_DIR)
    return _ACTIVE


def deactivate(saved: bool) -> None:
    """End of the build: write the new cache entries when it succeeded (``saved``); a failed
    build writes nothing, so that nothing it computed outlives it."""
    global _ACTIVE
    if saved and _ACTIVE is not None:
        _ACTIVE.save()
    _ACTIVE = None


def active() -> BuildCache | None:
    """The cache of the build being run (None outside ``moldir build``)."""
    return _ACTIVE


def per_dataset(dataset: Any, part: str, compute: Callable[[], T]) -> T:
    """``compute()`` for a feature's result that depends on the dataset alone (its folder,
    the Moldir code and the inputs of its validation) and on what ``part`` names, e.g. its
    rendered charts: cached with the dataset's entry during ``moldir build``."""
    if _ACTIVE is None:
        return compute()
    return _ACTIVE.part(dataset.slug, f"feature:{part}", compute)
