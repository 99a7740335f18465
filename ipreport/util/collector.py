"""Python's cyclic garbage collector paused around bulk work, in one place for every caller.

Reading a national statistics file or assessing every region makes millions of small objects while
the rows are alive; each full collection rescans them all (a third of the time), yet rows, series and
results hold no reference cycles, so nothing is left for the collector to find.

Turning the collector back on is not enough: the next full collection (a few thousand allocations
later) still scans every row once, about 9 % of a national run. What the block made is therefore
frozen (``gc.freeze``): moved out of the collector's generations for good. Frozen objects are still
freed as soon as nothing refers to them; only a reference cycle among them would outlive its use,
and a command runs once and exits.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the block, and back on after it only if it was on before; what the block
    made is frozen, never scanned again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
