"""What a run over every region hands the CLI, whether one process made it or several (regions.shards)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RegionsOutput:
    """What `gaps --each-region` prints: warnings (stderr) first, then the output in pieces."""

    warnings: tuple[str, ...]
    chunks: Iterable[str]
