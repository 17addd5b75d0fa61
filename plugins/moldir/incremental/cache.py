"""Incremental builds: a content-addressed cache, stage timings and progress.

The cache lives in ``<project>/.moldir-cache/`` (git-ignored) and is only used by
``moldir build`` (``activate``); ``moldir validate`` and tests without it compute everything.

* **Whole site** — ``site_fingerprint`` hashes the settings file, the Moldir code and the
  installed Pelican/Frictionless versions, and the size and mtime of every file under
  content/, datasets/ and the theme. When it equals the fingerprint stored for the output
  folder, and that folder is still there, the build does nothing (``output_unchanged``).
* **Per dataset** — ``dataset_fingerprint`` hashes the folder's files (path, size, mtime),
  the Moldir code and the validation options. For an unchanged dataset the validation report
  (``validate_dataset``) and the typed tables and planned downloads (``derived``) are read
  from ``datasets/<slug>.pickle`` instead of being recomputed; a changed dataset replaces its
  own entry only, so the cache stays as large as the portal.

The atomic staging + swap of build.py is untouched: a cached build still renders into the
staging folder and swaps it into place. ``Stages`` records the time of every stage and
``progress`` shows counts on long loops (stderr, only on a terminal or with ``-v``); the
commands (``moldir build``, ``serve``, ``validate``) also turn on ``phase`` lines, so that a
build says what it is doing from its start, in a log as on a terminal.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")

CACHE_DIR = ".moldir-cache"
# Bump when the pickled layout changes.
FORMAT = 2
PACKAGE = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- stages


class Stages:
    """Seconds per build stage, in the order they first ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.notes: list[str] = []

    def add(self, name: str, seconds: float, count: int = 0) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.counts[name] = self.counts.get(name, 0) + count

    @contextlib.contextmanager
    def stage(self, name: str, count: int = 0) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started, count)

    def note(self, text: str) -> None:
        """A line shown under the stage times (e.g. how many pages were reused)."""
        self.notes.append(text)

    def summary(self) -> str:
        """One line per stage: name, seconds, share of the total."""
        total = sum(self.seconds.values()) or 1.0
        lines = []
        for name, seconds in self.seconds.items():
            count = self.counts.get(name)
            what = f" ({count:,})" if count else ""
            lines.append(f"  {name + what:<34} {seconds:8.2f} s  {100 * seconds / total:5.1f} %")
        lines.extend(f"  {text}" for text in self.notes)
        return "\n".join(lines)


STAGES = Stages()


def reset_stages() -> Stages:
    global STAGES
    STAGES = Stages()
    return STAGES


def show_progress() -> bool:
    """Progress lines on a terminal, or with ``moldir -v`` (INFO logging)."""
    return sys.stderr.isatty() or logging.getLogger("moldir").isEnabledFor(logging.INFO)


# Phase lines ("Validating 14 datasets…") on stderr: on for the commands (cli.py), off
# for the library and the tests, whose output stays as it was.
_PHASES = False


def show_phases(on: bool = True) -> None:
    global _PHASES
    _PHASES = on


def phase(text: str) -> None:
    """One line on stderr saying what the build starts doing (when phases are shown)."""
    if _PHASES:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def progress(label: str, items: Iterable[T], total: int | None = None) -> Iterator[T]:
    """Yield ``items``, writing "label 12/1000" to stderr at most ~4 times a second on a
    terminal; elsewhere (a log, CI) one phase line "label: 1,000…" at the start."""
    items = list(items) if total is None else items
    total = len(items) if total is None else total  # type: ignore[arg-type]
    shown = show_progress() and total > 1
    if not shown and total:
        phase(f"{label[:1].upper()}{label[1:]}: {total:,}…")
    last = 0.0
    for index, item in enumerate(items, start=1):
        now = time.monotonic()
        if shown and (now - last > 0.25 or index == total):
            last = now
            end = "\n" if index == total else ""
            sys.stderr.write(f"\r{label} {index:,}/{total:,}{end}")
            sys.stderr.flush()
        yield item


# ----------------------------------------------------------------------------- fingerprints


def digest(*parts: Any) -> str:
    """A sha256 of the ``repr`` of each part (keys of the cache and of reused pages)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(repr(part).encode("utf-8"))
        hashed.update(b"\0")
    return hashed.hexdigest()


def tree_listing(root: Path) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every file under ``root`` (hidden ones skipped)."""
    found = []
    if not root.exists():
        return found
    if root.is_file():
        stat = root.stat()
        return [(root.name, stat.st_size, stat.st_mtime_ns)]
    for folder, names, files in os.walk(root):
        names[:] = sorted(n for n in names if not n.startswith(".") and n != "__pycache__")
        for name in sorted(files):
            if name.startswith(".") or name.endswith(".pyc"):
                continue
            path = Path(folder) / name
            stat = path.stat()
            found.append((str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns))
    return found


_CODE: str | None = None


def code_fingerprint() -> str:
    """Moldir's own code (by content) and the versions of the libraries that shape output."""
    global _CODE
    if _CODE is None:
        code = hashlib.sha256()
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                code.update(str(path.relative_to(PACKAGE)).encode())
                code.update(path.read_bytes())
        # Versions from the installed metadata: importing the libraries themselves would
        # cost a no-change rebuild most of its time.
        versions = [
            metadata.version(name)
            for name in (
                "frictionless",
                "pandas",
                "pelican",
                "pyarrow",
                "babel",
                "altair",
                "vl-convert-python",
                "nh3",  # the sanitiser shapes every page
                "xlsxwriter",
            )
        ]
        _CODE = digest(FORMAT, code.hexdigest(), versions, sys.version_info[:2])
    return _CODE


def dataset_fingerprint(folder: Path, inputs: Any) -> str:
    """A dataset's files (path, size, mtime), the Moldir code and ``inputs``: the options
    and settings its results depend on (their ``repr``, stable for dataclasses)."""
    return digest(code_fingerprint(), tree_listing(folder), repr(inputs))


def site_fingerprint(
    settings_file: Path,
    settings: dict[str, Any],
    extra: Any = None,
    frames: dict[str, str] | None = None,
) -> str:
    """Everything a build reads: settings, Moldir code, content, datasets, theme, git.
    ``frames``: ``frame_fingerprints`` of the same arguments, when already computed."""
    from moldir.model.settings import MoldirSettings, project_root

    moldir = MoldirSettings.from_pelican(settings)
    datasets = moldir.datasets_root(settings)
    frames = frames or frame_fingerprints(settings_file, settings, extra)
    return digest(frames["content"], tree_listing(datasets), git_head(project_root(settings)))


def frame_fingerprints(
    settings_file: Path, settings: dict[str, Any], extra: Any = None
) -> dict[str, str]:
    """What pages depend on besides the datasets (reuse.py): the "theme" frame (code,
    settings files, the settings as read, theme, the day) and the "content" frame (the
    same and every file under content/)."""
    from moldir.model.settings import project_root

    root = project_root(settings)
    trees = [
        Path(settings.get("THEME", "")),
        root / "pelicanconf.py",
        root / "publishconf.py",
        Path(settings_file).resolve(),
    ]
    listing = [(str(tree), tree_listing(tree)) for tree in trees]
    # Pages also depend on the settings as read, not only on the files: a settings file may
    # read the environment (publishconf.py's MOLDIR_SITEURL), and the command line passes
    # the environment's settings (MOLDIR_TODAY) as overrides; and on the day (upcoming
    # receptions).
    today = time.strftime("%Y-%m-%d")
    theme = digest(code_fingerprint(), listing, extra, settings_key(settings), today)
    content = Path(settings["PATH"])
    return {"theme": theme, "content": digest(theme, str(content), tree_listing(content))}


def settings_key(value: Any) -> Any:
    """Settings as plain, ordered values for a key: what is not a plain value (a function
    in a setting) by its type only, since its ``repr`` changes from run to run."""
    if isinstance(value, dict):
        return sorted((str(key), settings_key(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return [settings_key(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return type(value).__qualname__


def git_head(root: Path) -> str:
    """The commit checked out in ``root`` (or its parents), without running git."""
    for folder in (root, *root.parents):
        head = folder / ".git" / "HEAD"
        if head.is_file():
            text = head.read_text().strip()
            if text.startswith("ref: "):
                ref = folder / ".git" / text[5:]
                if ref.is_file():
                    return ref.read_text().strip()
                packed = folder / ".git" / "packed-refs"
                return digest(text, packed.read_text() if packed.is_file() else "")
            return text
    return ""


# ----------------------------------------------------------------------------- the cache


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

    def validate_dataset(self, folder: Path, inputs: Any, compute: Callable[[], T]) -> T:
        """``compute()``, the validation of dataset ``folder``, cached under the dataset's
        fingerprint: its files, the Moldir code and ``inputs`` (whatever else the result
        and the results derived from it depend on: options, settings)."""
        fingerprint = dataset_fingerprint(folder, inputs)
        self._fingerprints[folder.name] = fingerprint
        return self._part(folder.name, fingerprint, "validated", compute)

    def derived(self, slug: str, part: str, compute: Callable[[], T]) -> T:
        """``compute()``, a result computed from the validated dataset ``slug`` alone (its
        typed tables and downloads, its charts…), cached beside its validation."""
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
    build writes nothing, so that what it computed never outlives it."""
    global _ACTIVE
    if saved and _ACTIVE is not None and _ACTIVE._unsaved:
        with STAGES.stage("cache write"):
            _ACTIVE.save()
    _ACTIVE = None


def active() -> BuildCache | None:
    return _ACTIVE


def validate_dataset(folder: Path, inputs: Any, compute: Callable[[], T]) -> T:
    """``compute()``, through the active cache if there is one."""
    with STAGES.stage("validate", 1):
        if _ACTIVE is None:
            return compute()
        return _ACTIVE.validate_dataset(folder, inputs, compute)


def derived(dataset: Any, compute: Callable[[], T]) -> T:
    """``compute()`` (typed tables and downloads), through the active cache if there is one."""
    with STAGES.stage("tables + downloads", 1):
        if _ACTIVE is None:
            return compute()
        return _ACTIVE.derived(dataset.slug, "derived", compute)


def per_dataset(dataset: Any, part: str, compute: Callable[[], T]) -> T:
    """``compute()`` for a feature result that depends on the dataset alone (its folder,
    the Moldir code and the inputs of its validation), e.g. its rendered charts: cached
    with the dataset's entry."""
    if _ACTIVE is None:
        return compute()
    return _ACTIVE.derived(dataset.slug, f"feature:{part}", compute)


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
