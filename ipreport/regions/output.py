"""What a run over every region hands the CLI, whether the Python path or the columnar engine made it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class RegionsOutput:
    """What `gaps --each-region` prints: warnings (stderr) first, then the output in pieces.

    A piece is text, or UTF-8 bytes: the columnar engine builds a national file's JSON as bytes in
    polars, and writing those as they are spares decoding and encoding every character again.
    """

    warnings: tuple[str, ...]
    pieces: Iterable[str | bytes]

    @property
    def chunks(self) -> Iterator[str]:
        """The pieces as text."""
        for piece in self.pieces:
            yield piece.decode("utf-8") if isinstance(piece, bytes) else piece
