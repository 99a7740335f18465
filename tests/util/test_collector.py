"""The collector pause leaves nothing for a later full collection to rescan."""

from __future__ import annotations

import gc

from ipreport.util.collector import collector_paused


def test_what_the_block_made_is_frozen_and_the_collector_back_on():
    gc.collect()
    before = gc.get_freeze_count()
    try:
        with collector_paused():
            assert not gc.isenabled()
            rows = [[number] for number in range(10_000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() - before >= len(rows)
    finally:
        gc.unfreeze()


def test_a_nested_pause_leaves_the_collector_off_and_freezes_nothing():
    gc.collect()
    gc.disable()
    try:
        before = gc.get_freeze_count()
        with collector_paused():
            rows = [[number] for number in range(1_000)]
        assert not gc.isenabled()
        assert gc.get_freeze_count() == before and rows
    finally:
        gc.enable()
        gc.unfreeze()
