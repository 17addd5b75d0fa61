"""Per-dataset work on every core: started at once in worker processes, taken in order.

The pipeline walks the datasets in their order and asks for each one's result (its
validation, its tables and downloads). ``started_in_parallel`` starts the work of the
datasets the build cache does not hold in ``jobs`` forked worker processes, the biggest
first so that one large table does not finish last, and hands back a function that waits
for one item's result. Everything else — the order results are used in, the report, the
cache — stays in the main process, so the output is the same with any number of jobs
(tests/test_streaming_build.py builds the example with 1 and 2 and compares the files).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


@contextlib.contextmanager
def started_in_parallel(
    todo: list[T],
    work: Callable[[T], R],
    key: Callable[[T], Hashable],
    size: Callable[[T], int],
    jobs: int,
) -> Iterator[Callable[[T], R]]:
    """``result(item)``: ``work(item)``, for the items of ``todo`` computed ahead in worker
    processes when ``jobs`` > 1, for any other item (or with one job) computed here.

    ``work`` must be picklable (a module's function, or a ``functools.partial`` of one)
    and its result too. A worker's exception is raised by ``result`` as if the work had
    been done here. Items never asked for are cancelled when the block ends."""
    if jobs <= 1 or len(todo) < 2:
        yield work
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ordered = sorted(todo, key=lambda item: -size(item))
    # Forked: the workers share the loaded code and settings without pickling them.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
        futures = {key(item): pool.submit(work, item) for item in ordered}

        def result(item: T) -> R:
            future = futures.pop(key(item), None)
            return future.result() if future is not None else work(item)

        try:
            yield result
        finally:
            for future in futures.values():
                future.cancel()
