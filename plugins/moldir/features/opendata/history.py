"""Change history of every dataset, from the repository the datasets live in.

One ``git log`` over the datasets folder gives every dataset's commits at once (date and
files, newest first); ``git status`` says which folders have uncommitted changes. The
**versions** of each dataset's data — what each changed in rows, fields and schema, with
the editor's note from the descriptor, never the commit message — are read from those
commits by ``versions.py``. Outside a git checkout (a copied folder, a tarball) the
history falls back to the descriptor's ``created``/``modified`` and the files'
modification times, and says so; a dataset in a checkout that is not committed yet has
no versions and says that.

Decisions (docs/open-data.md):
- the published ``datapackage.json`` gets ``modified`` from the history when its
  descriptor has none, so the file a data user downloads carries the same date as the page:
  the date is an input of the download plan (``dataset_dates``, connected to
  ``signals.dataset_dates``), never written into a finished download;
- when the data files changed in a later commit than the descriptor, the ``version``
  cannot have been raised with that change: the build logs a warning (not an error, since
  fixing a typo in a cell need not be a new version) and the page shows nothing extra.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

from moldir.features.opendata.versions import BlobReader, Version, dataset_versions
from moldir.incremental.store import per_dataset
from moldir.model.dataset import Dataset
from moldir.pipeline.discover import DESCRIPTOR_NAMES

logger = logging.getLogger(__name__)

HISTORY_KEY = "history"
RECORD_SEPARATOR = "\x1e"
UNIT_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Change:
    """A commit that touched a dataset's folder."""

    date: dt.datetime
    commit: str
    message: str
    data_changed: bool = True


@dataclass(frozen=True)
class History:
    """When a dataset was first published and last changed, and every change (newest
    first; pages and feeds show the first ``history_limit``).

    ``source`` is "git" or "files" (no repository: descriptor dates and file times).
    """

    source: str
    first_published: dt.datetime | None
    last_changed: dt.datetime | None
    changes: tuple[Change, ...] = ()
    total_changes: int = 0
    uncommitted: bool = False
    # A shallow clone hides older commits: the first commit seen is not the first one.
    shallow: bool = False
    # Data files changed after the descriptor last did (so ``version`` was not raised).
    version_stale: bool = False
    # Versions of the data, newest first (versions.py), and the commits that only edited
    # the description or other metadata.
    versions: tuple[Version, ...] = ()
    metadata_edits: int = 0
    # The repository the versions' files are read from (their zips are written later).
    repo: str = ""

    @property
    def from_git(self) -> bool:
        return self.source == "git"

    @property
    def uncommitted_dataset(self) -> bool:
        """In a repository, but never committed: nothing of it is published history."""
        return self.source == "uncommitted"


@dataclass
class _Commits:
    changes: list[Change] = field(default_factory=list)
    # Positions in ``changes`` (0 = newest) of the latest commit that changed the data
    # files, and of the latest that changed the descriptor: by position, not by date, since
    # two commits can share a second.
    latest_data_change: int | None = None
    latest_descriptor_change: int | None = None

    @property
    def version_stale(self) -> bool:
        """The data changed in a later commit than the descriptor last did."""
        return (
            self.latest_data_change is not None
            and self.latest_descriptor_change is not None
            and self.latest_data_change < self.latest_descriptor_change
        )


def run_git(cwd: Path, *args: str) -> str | None:
    """Output of a git command, or None if git or the repository is not there."""
    try:
        completed = subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout


def parse_log(text: str, datasets_prefix: str) -> dict[str, _Commits]:
    """Commits per dataset slug from ``git log --format=<RS>%H<US>%cI<US>%s --name-only``.

    ``datasets_prefix`` is the datasets folder relative to the repository root
    ("datasets/"); a commit belongs to every dataset whose folder holds a file it changed.
    """
    found: dict[str, _Commits] = {}
    for record in text.split(RECORD_SEPARATOR):
        if not record.strip():
            continue
        header, _, names = record.partition("\n")
        commit, date_text, message = ([*header.split(UNIT_SEPARATOR), "", "", ""])[:3]
        date = dt.datetime.fromisoformat(date_text.strip())
        touched: dict[str, set[str]] = {}
        for name in names.splitlines():
            name = name.strip()
            if not name.startswith(datasets_prefix):
                continue
            slug, _, rest = name[len(datasets_prefix) :].partition("/")
            if rest:
                touched.setdefault(slug, set()).add(rest)
        for slug, files in touched.items():
            data_changed = any(Path(f).name not in DESCRIPTOR_NAMES for f in files)
            commits = found.setdefault(slug, _Commits())
            position = len(commits.changes)
            commits.changes.append(Change(date, commit, message.strip(), data_changed))
            # ``git log`` lists newest first: the first sighting is the latest change.
            if data_changed and commits.latest_data_change is None:
                commits.latest_data_change = position
            descriptor_changed = any(Path(f).name in DESCRIPTOR_NAMES for f in files)
            if descriptor_changed and commits.latest_descriptor_change is None:
                commits.latest_descriptor_change = position
    return found


def git_histories(datasets_root: Path, slugs: list[str]) -> dict[str, History]:
    """The git history of every dataset folder under ``datasets_root`` (one ``git log``).

    Returns an empty dict when ``datasets_root`` is not inside a git work tree; datasets
    without any commit (new, not yet committed folders) get a history whose ``source`` is
    "uncommitted" (their dates are filled from their files by ``dataset_histories``).
    """
    top = run_git(datasets_root, "rev-parse", "--show-toplevel")
    if top is None:
        return {}
    repo = Path(top.strip()).resolve()
    try:
        prefix = datasets_root.resolve().relative_to(repo).as_posix()
    except ValueError:
        return {}
    prefix = "" if prefix == "." else prefix + "/"
    log = run_git(
        repo,
        "-c",
        "core.quotePath=false",
        "log",
        "--no-renames",
        f"--format={RECORD_SEPARATOR}%H{UNIT_SEPARATOR}%cI{UNIT_SEPARATOR}%s",
        "--name-only",
        "--",
        prefix or ".",
    )
    if log is None:
        return {}
    status = run_git(
        repo, "-c", "core.quotePath=false", "status", "--porcelain", "--", prefix or "."
    )
    dirty = {
        line[3:].strip().strip('"')[len(prefix) :].split("/", 1)[0]
        for line in (status or "").splitlines()
        if len(line) > 3
    }
    shallow = (run_git(repo, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    commits = parse_log(log, prefix)
    histories = {}
    for slug in slugs:
        found = commits.get(slug)
        if not found or not found.changes:
            histories[slug] = History(
                source="uncommitted", first_published=None, last_changed=None, uncommitted=True
            )
            continue
        changes = found.changes
        histories[slug] = History(
            source="git",
            first_published=changes[-1].date,
            last_changed=changes[0].date,
            changes=tuple(changes),
            total_changes=len(changes),
            uncommitted=slug in dirty,
            shallow=shallow,
            version_stale=found.version_stale,
            repo=str(repo),
        )
    return histories


def with_versions(dataset: Dataset, history: History) -> History:
    """The history with the versions of the dataset's data (versions.py), newest first.

    Commits never change, so the versions are cached with the dataset under its newest
    commit: a build reads git blobs only for a dataset with a new commit or new files."""
    if not history.from_git or not history.changes or not history.repo:
        return history
    repo = Path(history.repo)
    try:
        folder = dataset.folder.resolve().relative_to(repo).as_posix() + "/"
    except ValueError:
        return history
    oldest_first = [(change.commit, change.date) for change in reversed(history.changes)]

    def compute() -> tuple[tuple[Version, ...], int]:
        blobs = BlobReader(repo)
        try:
            return dataset_versions(repo, folder, dataset.slug, oldest_first, blobs)
        finally:
            blobs.close()

    key = f"versions {history.changes[0].commit} {folder}"
    found, metadata_edits = per_dataset(dataset, key, compute)
    return replace(history, versions=tuple(reversed(found)), metadata_edits=metadata_edits)


def parse_date(value: object) -> dt.datetime | None:
    """An RFC 3339 date-time or ISO date from a descriptor, as an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def file_history(dataset: Dataset) -> History:
    """Dates without a repository: the descriptor's, else the files' modification times."""
    paths = [dataset.descriptor_path, *(resource.path for resource in dataset.resources)]
    mtimes = [
        dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        for path in paths
        if path is not None and path.exists()
    ]
    created = parse_date(dataset.get("created"))
    modified = parse_date(dataset.get("modified")) or (max(mtimes) if mtimes else None)
    return History(
        source="files",
        first_published=created or (min(mtimes) if mtimes else None),
        last_changed=modified or created,
    )


def dated_histories(datasets: list[Dataset]) -> dict[str, History]:
    """The history of each dataset without its versions: from git where possible, else
    from its files (enough for the dates)."""
    if not datasets:
        return {}
    roots = {dataset.folder.resolve().parent for dataset in datasets}
    from_git: dict[str, History] = {}
    for root in roots:
        from_git.update(git_histories(root, [d.slug for d in datasets]))
    histories = {}
    for dataset in datasets:
        history = from_git.get(dataset.slug) or file_history(dataset)
        if history.uncommitted_dataset:
            # Not committed yet: the dates of its files, and no versions.
            history = replace(file_history(dataset), source="uncommitted", uncommitted=True)
        if history.shallow:
            # The oldest commit of a shallow clone is only where the clone starts.
            created = parse_date(dataset.get("created"))
            if created and history.first_published and created < history.first_published:
                history = replace(history, first_published=created)
        histories[dataset.slug] = history
    return histories


def dataset_histories(datasets: list[Dataset]) -> dict[str, History]:
    """The history of each dataset with the versions of its data (from git where
    possible, else from its files)."""
    histories = dated_histories(datasets)
    for dataset in datasets:
        slug = dataset.slug
        history = with_versions(dataset, histories[slug])
        if history.version_stale:
            logger.warning(
                "%s: the data changed on %s after the descriptor last did; raise its "
                '"version" when the data changes',
                slug,
                history.last_changed.date().isoformat() if history.last_changed else "?",
            )
        histories[slug] = history
    return histories


def isoformat(value: dt.datetime | None) -> str | None:
    """RFC 3339 in UTC with a Z, as catalogues and feeds expect."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def dataset_dates(datasets: list[Dataset]) -> dict[str, str]:
    """``dataset_dates`` receiver: when each dataset last changed (RFC 3339), an input of
    its download plan (the published datapackage.json's ``modified``)."""
    return {
        slug: isoformat(history.last_changed)
        for slug, history in dated_histories(datasets).items()
        if history.last_changed is not None
    }


def add_histories(portal) -> None:
    """``portal_loaded`` receiver: ``published.extras["history"]`` for every dataset."""
    histories = dataset_histories([p.dataset for p in portal.datasets])
    for published in portal.datasets:
        history = histories[published.slug]
        published.extras[HISTORY_KEY] = history
        if history.last_changed is not None:
            # The catalogue's "Last updated" and the search date (templates fall back on
            # the descriptor's "created" when the history has no date).
            published.extras["last_updated"] = history.last_changed.date().isoformat()
