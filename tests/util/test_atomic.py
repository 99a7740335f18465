"""Atomic output: complete files or none, never over a folder or an input."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from pathlib import Path

import pytest

from ipreport.errors import OptionError
from ipreport.util.atomic import atomic_path, temporary_folder, write_atomic


def test_write_atomic_writes_the_bytes_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "报告.md"
    write_atomic(out, "甲&乙".encode())
    assert out.read_text(encoding="utf-8") == "甲&乙"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.md"]


def test_write_atomic_replaces_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    out.write_text("old")
    write_atomic(out, b"new")
    assert out.read_text() == "new"


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_failure_inside_the_block_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, error: BaseException
) -> None:
    out = tmp_path / "r.docx"
    out.write_bytes(b"old")
    with pytest.raises(type(error)):
        with atomic_path(out) as temp:
            temp.write_bytes(b"half")
            raise error
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]


def test_the_temporary_file_sits_beside_the_target(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    with atomic_path(out) as temp:
        assert temp.parent == tmp_path
        assert temp != out
        temp.write_bytes(b"x")
    assert out.read_bytes() == b"x"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OptionError) as caught:
        write_atomic(tmp_path, b"x")
    assert str(caught.value) == f'--output: "{tmp_path}" is a folder; give a file name, e.g. "{tmp_path / "report.docx"}"'


def test_an_input_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    stats = tmp_path / "stats.csv"
    stats.write_text("indicator,year,value\n")
    with pytest.raises(OptionError) as caught:
        write_atomic(tmp_path / "." / "stats.csv", b"x", inputs=[stats])
    assert str(caught.value) == (
        f'--output: "{tmp_path / "stats.csv"}" is one of the input files; choose another output name'
    )
    assert stats.read_text() == "indicator,year,value\n"


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "r.md"
    with pytest.raises(OptionError) as caught:
        write_atomic(out, b"x")
    assert str(caught.value) == f'--output: the folder "{tmp_path / "nowhere"}" of "{out}" does not exist'


def test_a_new_file_gets_the_usual_permissions_not_the_temporary_file_s(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    previous = os.umask(0o022)
    try:
        write_atomic(out, b"x")
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == 0o644


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    out.write_bytes(b"old")
    out.chmod(0o640)
    write_atomic(out, b"new")
    assert out.stat().st_mode & 0o777 == 0o640


def test_ctrl_c_right_after_the_temporary_file_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Ctrl-C landing the moment the temporary file exists (before its name is known) used to
    # leave it behind; the signal is sent from inside mkstemp to hit exactly that moment.
    real_mkstemp = tempfile.mkstemp

    def mkstemp_then_ctrl_c(*args: object, **kwargs: object) -> tuple[int, str]:
        made = real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]
        # Aimed at the main thread: a process-wide signal may be taken by another thread of the
        # test run (a pool's manager thread), where the main thread's mask does not apply.
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        return made

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_ctrl_c)
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signals are blocked on POSIX only")
def test_a_stop_while_the_temporary_folder_is_made_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stop lands right after mkdir, before tempfile returns the folder's name (as a SIGTERM on a
    # loaded machine did, in test_interrupt.py): the folder must still be removed.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    made = tempfile.mkdtemp

    def mkdtemp_then_stop(*args: object, **kwargs: object) -> str:
        name = made(*args, **kwargs)  # type: ignore[arg-type]
        # Aimed at the main thread, as above: another thread of the test run would take a process-wide one.
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        return name

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp_then_stop)
    with pytest.raises(KeyboardInterrupt), temporary_folder("ipreport-charts-"):
        pytest.fail("the block must not start: the stop was pending when it began")
    assert list(tmp_path.iterdir()) == []
