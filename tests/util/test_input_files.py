"""Inputs are regular files read with a bound; outputs never replace a special file or an input of the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipreport.cli import cli
from ipreport.errors import InputError, OptionError
from ipreport.util.atomic import check_output, write_atomic
from ipreport.util.input_files import note_input, read_input, run_scope

BAD = Path(__file__).parents[1] / "fixtures" / "bad"


def test_a_device_is_no_output() -> None:
    # Only checked, never written: a regression must not replace /dev/null on a machine run as root.
    with pytest.raises(OptionError) as caught:
        check_output(Path("/dev/null"), option="--junit")
    assert str(caught.value) == '--junit: "/dev/null" is a device, not a regular file; give a file name'


def test_an_output_linked_to_an_input_of_the_run_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "ok.toml"
    plan.write_bytes((BAD / "ok.toml").read_bytes())
    (tmp_path / "report.md").symlink_to(plan)
    before = plan.read_bytes()
    result = CliRunner().invoke(
        cli, ["report", str(plan), "--stats", str(BAD / "stats_ok.csv"), "-o", str(tmp_path / "report.md")]
    )
    assert result.stderr == f'Error: --output: "{tmp_path / "report.md"}" is one of the input files; ' \
        "choose another output name\n"
    assert result.exit_code == 2
    assert plan.read_bytes() == before


def test_outside_a_run_nothing_is_remembered(tmp_path: Path) -> None:
    # Library callers name their inputs themselves; files read by earlier calls must not block outputs.
    path = tmp_path / "a.txt"
    path.write_text("x")
    note_input(path)
    write_atomic(path, b"y")
    assert path.read_text() == "y"
    with run_scope():
        note_input(path)
        with pytest.raises(OptionError):
            write_atomic(path, b"z")


def test_a_fifo_given_as_statistics_or_plan_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for args in (["validate", str(BAD / "ok.toml"), "--stats", str(fifo)], ["validate", str(fifo)]):
        done = subprocess.run(
            [sys.executable, "-m", "ipreport", *args], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.stderr == f"Error: {fifo}: is a FIFO (named pipe), not a regular file; give a file saved on disk\n"
        assert done.returncode == 1


def test_a_file_over_its_bound_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * 100)
    with pytest.raises(InputError) as caught:
        read_input(path, 64, "plan file")
    assert str(caught.value) == f"{path}: the file is larger than 64 bytes, more than a plan file can be"
    assert read_input(path, 100, "plan file") == b"#" * 100


def test_a_proc_file_is_refused_without_quoting_it() -> None:
    with pytest.raises(InputError) as caught:
        read_input("/proc/self/environ", 1024, "config file")
    assert str(caught.value) == (
        "/proc/self/environ: is a system file without a size, such as one under /proc, not a regular file; "
        "give a file saved on disk"
    )
