"""Work on columns or slices two at a time: Arrow's and numpy's kernels run outside the GIL.

For a small export the threads cost more than they save (and vary with how busy the machine
is): a command that knows its input is small asks for the work to be done in its own thread
(`work_inline`), until the end of the command (`command_scope`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

_T = TypeVar("_T")
_I = TypeVar("_I")

_INLINE: ContextVar[bool] = ContextVar("tiktok_transition_inline", default=False)


def in_order(make: Callable[[_I], _T], items: Iterable[_I], ahead: int = 2) -> Iterator[_T]:
    """`make(item)` for each item, yielded in order, with up to `ahead` being made at once
    (so at most `ahead` results wait in memory); one at a time in this thread when the
    command asked for it (`work_inline`)."""
    if _INLINE.get():
        yield from map(make, items)
        return
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=ahead) as pool:
        pending: deque[Future[_T]] = deque()
        for item in items:
            pending.append(pool.submit(make, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@contextmanager
def in_background(
    make: Callable[[_I], _T], items: Iterable[_I], workers: int = 2
) -> Iterator[list[Callable[[], _T]]]:
    """`make(item)` for every item, begun now by `workers` threads while the caller goes on;
    call an item's entry for its result (waiting if need be). When the command asked for
    `work_inline`, each is made in the calling thread when its entry is called."""
    from functools import partial

    if _INLINE.get():
        yield [partial(make, item) for item in items]
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield [pool.submit(make, item).result for item in items]


def all_of(jobs: list[Callable[[], _T]]) -> list[_T]:
    """Every job's result, in order; the jobs made by two workers (`in_background`). The list
    is emptied as the jobs are handed over, so what a job holds (a raw column) is freed as
    soon as it is done."""
    with in_background(_done, (jobs.pop(0) for _ in range(len(jobs)))) as results:
        return [result() for result in results]


def _done(job: Callable[[], _T]) -> _T:
    return job()


def inline() -> bool:
    """Whether the command asked for its work to be done in its own thread (`work_inline`)."""
    return _INLINE.get()


def work_inline() -> None:
    """Until the end of the command (`command_scope`), `in_order`, `in_background` and
    `all_of` work in the calling thread."""
    _INLINE.set(True)


@contextmanager
def command_scope() -> Iterator[None]:
    """One command: what it asked of `in_order` is forgotten when it ends."""
    token = _INLINE.set(False)
    try:
        yield
    finally:
        _INLINE.reset(token)
