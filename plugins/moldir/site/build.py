"""Building the site: Pelican into a temporary folder, then an atomic swap into place.

A failed build (invalid datasets, a template error) leaves the previous output exactly
as it was: nothing is written to ``output/`` until the whole site has been generated.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican.settings import read_settings

from moldir import connect_features
from moldir.incremental import fingerprints
from moldir.incremental import store as build_cache
from moldir.model import safety
from moldir.model.settings import MoldirSettings, project_root
from moldir.pipeline import progress, signals
from moldir.pipeline.memo import NO_MEMO
from moldir.site import i18n

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    output: Path
    seconds: float
    files: int
    # True when nothing had changed since the last build of this output (fingerprints.py).
    unchanged: bool = False
    # Pages and files written by rendering, and linked unchanged from the last build
    # (reuse.py; both 0 without the cache).
    rendered: int = 0
    reused: int = 0


def load_settings(settings_file: Path, overrides: dict[str, Any] | None = None) -> dict:
    """Pelican settings from a config file, with overrides (paths made absolute)."""
    return read_settings(str(settings_file), override=dict(overrides or {}))


def build_site(
    settings_file: Path,
    output: Path | None = None,
    overrides: dict[str, Any] | None = None,
    use_cache: bool = True,
    jobs: int = 1,
) -> BuildResult:
    """Build the whole site; on any error remove the half-built copy and re-raise.

    ``overrides`` replace settings of ``settings_file`` (the command line passes those of
    the environment, :func:`moldir.model.settings.environment_settings`, here);
    ``use_cache=False`` builds from scratch without reading or writing
    ``.moldir-cache/`` (``MOLDIR_NO_CACHE=1`` at the command line); ``jobs`` datasets'
    tables and downloads are made at once (``moldir build --jobs``)."""
    started = time.perf_counter()
    settings = load_settings(settings_file, overrides)
    final = Path(output or settings["OUTPUT_PATH"]).resolve()
    stages = progress.reset_stages()
    store, fingerprint, frames = None, None, None
    if use_cache:
        store = build_cache.activate(project_root(settings))
        # Listed once, before anything is read: the frames key reused pages (reuse.py).
        frames = fingerprints.frame_fingerprints(settings_file, settings, overrides)
        fingerprint = fingerprints.site_fingerprint(settings_file, settings, overrides, frames)
        if store.output_unchanged(final, fingerprint):
            build_cache.deactivate(saved=False)  # nothing was computed
            files = sum(1 for path in final.rglob("*") if path.is_file())
            seconds = time.perf_counter() - started
            return BuildResult(output=final, seconds=seconds, files=files, unchanged=True)
    # Imported only now: a rebuild with nothing changed stops before loading the
    # pipeline (pandas, Frictionless, Altair), so it costs little more than the check.
    from moldir.incremental import markdown as markdown_cache
    from moldir.incremental import reuse

    staging = final.parent / f".{final.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    safety.set_output_root(staging)  # every writer is confined to the staging folder
    try:
        # The first import of the pipeline takes seconds on a small machine: said first.
        progress.phase("Loading the pipeline (Pelican, Frictionless, pandas, Altair)…")
        from pelican import Pelican

        from moldir.pipeline.portal import load_portal

        connect_features()
        moldir_settings = MoldirSettings.from_pelican(settings)
        portal = load_portal(
            moldir_settings,
            moldir_settings.datasets_root(settings),
            project_root(settings),
            memo=store if store is not None else NO_MEMO,  # the pipeline's results, cached
            jobs=jobs,
        )
        # One Pelican run per language (i18n.py): the default language at the root of
        # the staging folder, the others in sub-folders; ``settings`` ends as the default's.
        if store is not None and frames is not None:
            # Pages whose dependencies did not change are linked from the previous output.
            reuse.start(store, staging, final, frames, progress.show_progress())
            markdown_cache.start(store.root, frames["theme"])  # converted articles
        runs = list(reversed(list(i18n.language_builds(settings, staging))))
        for number, language in enumerate(runs, start=1):
            lang = language.get("DEFAULT_LANG", "")
            progress.phase(f"Pages in {lang or 'the default language'} ({number} of {len(runs)})…")
            settings = load_settings(
                settings_file,
                {
                    **(overrides or {}),
                    "OUTPUT_PATH": str(staging),
                    "DELETE_OUTPUT_DIRECTORY": False,
                    "MOLDIR_PORTAL": portal,
                    **jinja_cache(store, settings),
                    **language,
                },
            )
            with stages.stage(f"pages {lang}".strip()):
                Pelican(settings).run()
                reuse.end_progress()
        progress.phase("Search index, catalogues, feeds and sitemap…")
        with stages.stage("site_built (search index, …)"):
            signals.site_built.send(staging, settings=settings)
    except BaseException:
        safety.set_output_root(None)
        shutil.rmtree(staging, ignore_errors=True)
        reuse.finish(saved=False)
        markdown_cache.finish(saved=False)
        build_cache.deactivate(saved=False)  # nothing of a failed build is kept
        raise
    safety.set_output_root(None)
    with stages.stage("swap"):
        reuse.keep_identical_files(staging, final)  # unchanged files keep inode and mtime
        swap_into_place(staging, final)
    pages = reuse.finish(saved=True)
    markdown_cache.finish(saved=True)
    rendered, reused = (pages.rendered, pages.reused) if pages is not None else (0, 0)
    if pages is not None:
        stages.note(f"pages and files rendered {rendered:,}, reused unchanged {reused:,}")
    stages.note(peak_memory())
    if store is not None:
        store.remember_output(final, fingerprint)
        with stages.stage("cache write"):
            build_cache.deactivate(saved=True)
    files = sum(1 for path in final.rglob("*") if path.is_file())
    seconds = time.perf_counter() - started
    return BuildResult(final, seconds, files, rendered=rendered, reused=reused)


def peak_memory() -> str:
    """The build's peak resident memory: this process's, and the largest of the processes
    it ran (dataset workers, Pagefind), which the bench and ``--jobs`` choices need apart."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ran = "of the processes it ran (workers, Pagefind)"
    return f"peak memory {own:,.0f} MiB; {ran} {helpers:,.0f} MiB"


def jinja_cache(store: build_cache.BuildCache | None, settings: dict[str, Any]) -> dict[str, Any]:
    """Pelican's JINJA_ENVIRONMENT with a bytecode cache in the build cache.

    Compiling the theme's templates costs about a second per language run; Jinja reuses
    the compiled code of a template whose source is unchanged. The folder is keyed by the
    code and the environment options, which also shape the compiled code.
    """
    if store is None:
        return {}
    # Autoescaping is always on (templating.install); it is part of the compiled code.
    options = {**dict(settings.get("JINJA_ENVIRONMENT") or {}), "autoescape": True}
    code = fingerprints.code_fingerprint()
    folder = store.root / "jinja" / fingerprints.digest(code, options)[:16]
    if not folder.is_dir():
        # Folders compiled by older code are unused; another build running at the same
        # time (tests, a preview server) may still be using one, so a vanished folder is
        # only a missed cache write for it (SharedBytecodeCache), never a failed build.
        for stale in folder.parent.glob("*") if folder.parent.is_dir() else ():
            shutil.rmtree(stale, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    return {"JINJA_ENVIRONMENT": {**options, "bytecode_cache": SharedBytecodeCache(folder)}}


class SharedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache, tolerant of its folder being removed by a concurrent build."""

    def dump_bytecode(self, bucket: Any) -> None:
        # The folder went away (a build with other code pruned it): this one is not cached.
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def swap_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` with two renames (the old copy is then deleted)."""
    previous = final.parent / f".{final.name}.previous-{os.getpid()}"
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    shutil.rmtree(previous, ignore_errors=True)
