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

import json
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from moldir.incremental.fingerprints import dataset_fingerprint, digest, tree_listing

logger = logging.getLogger(__name__)
T = TypeVar("T")

CACHE_DIR = ".moldir-cache"


class BuildCache:
    """The cache folder of one project.

    An entry holds the results of one dataset, each under a part name ("validated",
    "derived", "feature:charts"…) and keyed by the dataset's fingerprint. A result is
    pickled when it is computed and unpickled whenever it is asked for: callers always get
    their own copy, so nothing a build does to a result (a check adding its errors, a
    feature adding extras) reaches the cache or the next build.
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

    def _entry(self, slug: str) -> Path:
        return self.root / "datasets" / f"{slug}.pickle"

    def _load(self, slug: str, fingerprint: str) -> dict[str, Any]:
        """The entry of ``slug`` for ``fingerprint`` (an empty one when there is none)."""
        loaded = self._loaded.get(slug)
        if loaded is not None and loaded["fingerprint"] == fingerprint:
            return loaded
        entry: Any = None
        try:
            with open(self._entry(slug), "rb") as stream:
                entry = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            pass
        if (
            not isinstance(entry, dict)
            or entry.get("fingerprint") != fingerprint
            or not isinstance(entry.get("parts"), dict)
        ):
            entry = {"fingerprint": fingerprint, "parts": {}}
        self._loaded[slug] = entry
        return entry

    def save(self) -> None:
        """Write the entries made or extended during this build (after a successful build:
        ``deactivate(saved=True)``)."""
        for slug in sorted(self._unsaved):
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
        self._unsaved.clear()

    def fingerprint(self, slug: str) -> str | None:
        """The fingerprint of dataset ``slug`` in this build (None before it was validated)."""
        return self._fingerprints.get(slug)

    def _part(self, slug: str, fingerprint: str, part: str, compute: Callable[[], T]) -> T:
        entry = self._load(slug, fingerprint)
        stored = entry["parts"].get(part)
        if stored is not None:
            self.hits += 1
            return pickle.loads(stored)  # a copy of its own for every caller
        self.misses += 1
        result = compute()
        try:
            # Pickled now, before the caller can change it: the entry keeps the result as
            # it was computed.
            entry["parts"][part] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as problem:
            logger.debug("cache: %s %s not stored: %s", slug, part, problem)
            return result
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
