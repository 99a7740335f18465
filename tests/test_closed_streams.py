"""A closed or full stdout/stderr (`>&-`, /dev/full): a clear exit status and no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ipreport.cli import CLOSED_STDOUT

BAD = Path(__file__).parent / "fixtures" / "bad"
EXTRACT = ["extract", str(BAD / "extract_doc.txt"), "--region", "某省"]
GAPS = ["gaps", str(BAD / "ok.toml"), "--stats", str(BAD / "stats_ok.csv")]


def _run(args: list[str], **streams: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ipreport", *args], text=True, timeout=120, check=False, **streams  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("args", [EXTRACT, GAPS], ids=["extract", "gaps"])
def test_a_closed_stdout_fails_loudly(args: list[str]) -> None:
    # close_fds and stdout=None cannot close fd 1 for the child; the shell's >&- can.
    done = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m ipreport "$@" >&-', "sh", *args],
        capture_output=False, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
    )
    assert done.stderr == CLOSED_STDOUT + "\n"
    assert done.returncode == 1


def test_closed_stdout_and_stderr_give_an_exit_status_only() -> None:
    done = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m ipreport "$@" >&- 2>&-', "sh", *GAPS], timeout=120, check=False
    )
    assert done.returncode == 1


def test_a_full_stdout_is_one_error_line() -> None:
    with open("/dev/full", "w") as full:
        done = _run(GAPS, stdout=full, stderr=subprocess.PIPE)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: ")
    assert len(done.stderr.splitlines()) == 1
    assert done.returncode == 1
