"""The long CSV layout's fast loop (_read_plain_long) reads every file exactly as the general row rules do.

The fast loop is a second copy of the rules for plain rows, kept for national files of a million rows;
this test holds the two together: every CSV fixture and example, read both ways, gives the same
observations, warnings and problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ipreport.errors import InputError
from ipreport.statistics import read
from ipreport.statistics.read import read_statistics

ROOT = Path(__file__).resolve().parents[2]
CSV_FILES = sorted(
    [*(ROOT / "tests" / "fixtures").rglob("*.csv"), *(ROOT / "examples").rglob("*.csv"),
     *(ROOT / "tests" / "fuzz" / "seeds").glob("*-csv")]
)


def _reading(path: Path) -> object:
    try:
        statistics = read_statistics(path)
    except InputError as exc:
        return [str(problem) for problem in exc.problems]
    return statistics.observations, statistics.warnings, statistics.layout


def _general(reader: object, csv_rows: object) -> list[str] | None:
    """In place of the fast loop: every row through the general rules, with csv's line numbers.

    Returns the last record, as the fast loop does (an unclosed quote shows in it).
    """
    last: list[str] | None = None

    def rows() -> object:
        nonlocal last
        for cells in csv_rows:  # type: ignore[attr-defined]
            last = cells
            yield csv_rows.line_num, cells  # type: ignore[attr-defined]

    read._read_general(reader, rows(), csv=True)  # type: ignore[arg-type]
    return last


@pytest.mark.parametrize("path", CSV_FILES, ids=[str(p.relative_to(ROOT)) for p in CSV_FILES])
def test_fast_loop_reads_as_the_general_rules_do(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _reading(path)
    monkeypatch.setattr(read, "_read_plain_long", _general)
    assert _reading(path) == fast


def test_the_fixtures_do_take_the_fast_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    original = read._read_plain_long
    monkeypatch.setattr(read, "_read_plain_long", lambda *args: calls.append(args) or original(*args))
    read_statistics(ROOT / "examples" / "jilin" / "statistics.csv")
    assert calls
