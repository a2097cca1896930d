"""Work on columns or slices two at a time: Arrow's and numpy's kernels run outside the GIL."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

_T = TypeVar("_T")
_I = TypeVar("_I")


def in_order(make: Callable[[_I], _T], items: Iterable[_I], ahead: int = 2) -> Iterator[_T]:
    """`make(item)` for each item, yielded in order, with up to `ahead` being made at once
    (so at most `ahead` results wait in memory)."""
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
