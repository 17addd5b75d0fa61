"""What a build is doing, said as it goes: stage timings, progress counts, phase lines.

``Stages`` records the time of every stage of a build (``STAGES``; ``moldir build -v``
prints its summary); ``progress`` shows counts on long loops (stderr, only on a terminal
or with ``-v``); the commands (``moldir build``, ``serve``, ``validate``) also turn on
``phase`` lines, so that a build says what it is doing from its start, in a log as on a
terminal. The library and the tests print nothing unless asked.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


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
        """Time the ``with`` block as (part of) stage ``name``; ``count`` items done in it."""
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
    """A new ``STAGES`` for a new build (read it as ``progress.STAGES``)."""
    global STAGES
    STAGES = Stages()
    return STAGES


def show_progress() -> bool:
    """Progress lines on a terminal, or with ``moldir -v`` (INFO logging)."""
    return sys.stderr.isatty() or logging.getLogger("moldir").isEnabledFor(logging.INFO)


# Phase lines ("Validating 14 datasets…") on stderr: on for the commands (cli), off for
# the library and the tests, whose output stays as it was.
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
