"""Remembering a dataset's results between builds, as the pipeline asks for it.

The pipeline computes everything from its inputs; a ``Memo`` may hand back a result it
remembers instead of computing it again. The pipeline depends on this interface only, never
on how results are remembered: ``moldir build`` passes the build cache
(``moldir.incremental.store.BuildCache``), everything else the default ``NO_MEMO``, which
computes every time.

A memo must behave like a pure function of what it is given: the result of ``compute``
for the same inputs, as a value of the caller's own (changing it changes nothing
remembered).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from moldir.model.stored import FileStore, temporary_store

T = TypeVar("T")


class Memo(Protocol):
    def dataset(self, folder: Path, inputs: Any, compute: Callable[[], T]) -> T:
        """``compute()``, the validation of the dataset in ``folder``; it may be remembered
        under the folder's files, the code and ``inputs`` (everything else the result
        and the results derived from it depend on: options, settings)."""
        ...

    def part(self, slug: str, part: str, compute: Callable[[], T]) -> T:
        """``compute()``, named ``part``, computed from the dataset ``slug`` alone (as
        validated by ``dataset`` in this build) and from values that ``part`` names."""
        ...

    def remembers_dataset(self, folder: Path, inputs: Any) -> bool:
        """Whether ``dataset(folder, inputs, …)`` would hand back its validation without
        computing it (the pipeline validates the others in parallel)."""
        ...

    def remembers(self, slug: str, part: str) -> bool:
        """Whether ``part`` of dataset ``slug`` would be handed back without computing it
        (the pipeline starts the work of the others in parallel)."""
        ...

    def file_store(self) -> FileStore:
        """Where the files of computed results (the bodies of downloads) are written: they
        must last as long as the results that name them."""
        ...


class NoMemo:
    """Computes every time (``moldir validate``, the tests, ``MOLDIR_NO_CACHE=1``)."""

    def dataset(self, folder: Path, inputs: Any, compute: Callable[[], T]) -> T:
        return compute()

    def part(self, slug: str, part: str, compute: Callable[[], T]) -> T:
        return compute()

    def remembers_dataset(self, folder: Path, inputs: Any) -> bool:
        return False

    def remembers(self, slug: str, part: str) -> bool:
        return False

    def file_store(self) -> FileStore:
        return temporary_store()  # removed when the process ends


NO_MEMO: Memo = NoMemo()
