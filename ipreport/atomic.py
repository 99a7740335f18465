"""Atomic output: write beside the target, fsync, then rename over it, so no reader sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ipreport.errors import OptionError


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output(path: Path, inputs: Iterable[Path] = (), option: str = "--output") -> None:
    """Refuse an output path that is a folder, lies in a missing folder, or is one of the inputs."""
    if path.is_dir():
        raise OptionError(option, f'"{path}" is a folder; give a file name, e.g. "{path / "report.docx"}"')
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OptionError(option, f'the folder "{parent}" of "{path}" does not exist')
    for source in inputs:
        if _same_file(path, Path(source)):
            raise OptionError(option, f'"{path}" is one of the input files; choose another output name')


def _new_file_mode() -> int:
    # mkstemp creates 0600; a finished report should get the mode any new file gets.
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform lets a folder be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: Path, inputs: Iterable[Path] = (), option: str = "--output") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends cleanly it replaces ``path``.

    On any exception (KeyboardInterrupt included) the temporary file is removed and an existing
    ``path`` is left untouched.
    """
    path = Path(path)
    check_output(path, inputs, option)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OptionError(option, f'cannot write in "{folder}": {exc.strerror}') from exc
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode()
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def write_atomic(path: Path, data: bytes, inputs: Iterable[Path] = (), option: str = "--output") -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_path``)."""
    with atomic_path(path, inputs, option) as temp:
        try:
            temp.write_bytes(data)
        except OSError as exc:
            raise OptionError(option, f'cannot write "{path}": {exc.strerror}') from exc
