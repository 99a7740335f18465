"""Python's cyclic garbage collector paused around bulk work, in one place for every caller.

Reading a national statistics file or assessing every region makes millions of small objects while
the rows are alive; each full collection rescans them all (a third of the time), yet rows, series and
results hold no reference cycles, so nothing is left for the collector to find.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the block, and back on after it only if it was on before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
