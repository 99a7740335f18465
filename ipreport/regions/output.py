"""What a run over every region hands the CLI, whether the Python path or the columnar engine made it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RegionsOutput:
    """What `gaps --each-region` prints: warnings (stderr) first, then the output in pieces."""

    warnings: tuple[str, ...]
    chunks: Iterable[str]
