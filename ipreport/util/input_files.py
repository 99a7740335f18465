"""The files a run reads: regular files only, read with a size bound, remembered by identity.

A FIFO would hang a run, a device (/dev/zero) or a /proc file (/proc/self/environ) would feed it
unbounded or secret bytes; none is an input an office means to give. Every file read during a
command is remembered by (device, inode), so that no output of the same run can replace one of
its inputs, whatever name or link the output is given (see ``atomic.check_output``).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ipreport.errors import InputError, Problem

MB = 1024 * 1024
# The most each kind of input is read up to: far above any real file of its kind.
CONFIG_LIMIT = 1 * MB
PLAN_LIMIT = 16 * MB
TEMPLATE_LIMIT = 64 * MB
WORKBOOK_LIMIT = 256 * MB
DOCUMENT_LIMIT = 64 * MB

# Identities of the files read in the current run; None outside a run (library use).
_read_in_run: list[dict[tuple[int, int], str]] = []


@contextlib.contextmanager
def run_scope() -> Iterator[None]:
    """Remember the inputs read inside the block (one CLI command) and forget them after it."""
    _read_in_run.append({})
    try:
        yield
    finally:
        _read_in_run.pop()


def note_input(path: str | Path, status: os.stat_result | None = None) -> None:
    """Remember ``path`` as an input of the current run (nothing happens outside a run)."""
    if not _read_in_run:
        return
    try:
        status = status or os.stat(path)
    except OSError:
        return
    _read_in_run[-1].setdefault((status.st_dev, status.st_ino), str(path))


def input_at(path: str | Path) -> str | None:
    """The name an input of this run was read under, when ``path`` is that same file; else None."""
    if not _read_in_run:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    return _read_in_run[-1].get((status.st_dev, status.st_ino))


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


class NotRegularFile(InputError):
    """An input that is a FIFO, a device, a socket or a /proc file; ``kind`` says which, in words."""

    def __init__(self, file: str, kind: str) -> None:
        self.kind = kind
        super().__init__(Problem(file, f"is {kind}, not a regular file; give a file saved on disk"))

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Rebuilt from both parts when it crosses a process boundary (--each-region workers).
        return type(self), (self.problems[0].file, self.kind)


def _not_regular(file: str, kind: str) -> NotRegularFile:
    return NotRegularFile(file, kind)


PSEUDO_FILE = "a system file without a size, such as one under /proc"


def _open_regular(path: str | Path, file: str) -> tuple[int, os.stat_result]:
    """Open without blocking (a FIFO would wait for a writer) and refuse what is not a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(Problem(file, "no such file")) from None
    except OSError as exc:
        raise InputError(Problem(file, f"cannot read the file: {exc.strerror or exc}")) from None
    status = os.fstat(fd)
    kind = special_kind(status.st_mode)
    if kind is not None:
        os.close(fd)
        raise _not_regular(file, kind)
    return fd, status


def unreadable_kind(path: str | Path) -> str | None:
    """What ``path`` is when it is no regular file with real contents (see ``check_regular``); else None."""
    try:
        check_regular(path)
    except NotRegularFile as exc:
        return exc.kind
    except InputError:
        return None  # missing or unreadable: said where it is read
    return None


def check_regular(path: str | Path, file: str | None = None) -> None:
    """Refuse ``path`` unless it is a regular file with real contents; remember it as an input.

    For files streamed by their reader (CSV statistics), which then opens them itself.
    """
    file = str(path) if file is None else file
    fd, status = _open_regular(path, file)
    try:
        # /proc and /sys files say they are regular and empty, yet give bytes when read.
        if status.st_size == 0 and os.read(fd, 1):
            raise _not_regular(file, PSEUDO_FILE)
    finally:
        os.close(fd)
    note_input(path, status)


def read_input(path: str | Path, limit: int, what: str, file: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, refused above ``limit`` bytes; remembered as an input.

    ``what`` names the kind of file in the message ("plan file", "config file").
    """
    file = str(path) if file is None else file
    fd, status = _open_regular(path, file)
    try:
        if status.st_size > limit:
            raise _too_big(file, limit, what)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(Problem(file, f"cannot read the file: {exc.strerror or exc}")) from None
    finally:
        os.close(fd)
    if status.st_size == 0 and data:
        raise _not_regular(file, PSEUDO_FILE)
    if len(data) > limit:
        raise _too_big(file, limit, what)
    note_input(path, status)
    return data


def _too_big(file: str, limit: int, what: str) -> InputError:
    size = f"{limit // MB} MB" if limit % MB == 0 else f"{limit:,} bytes"
    return InputError(Problem(file, f"the file is larger than {size}, more than a {what} can be"))
