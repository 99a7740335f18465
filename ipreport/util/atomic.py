"""Atomic output: write beside the target, fsync, then rename over it, so no reader sees half a file."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ipreport.errors import OptionError
from ipreport.util.input_files import input_at, special_kind
from ipreport.util.signals import TERMINATING


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output(path: Path, inputs: Iterable[Path] = (), option: str = "--output") -> None:
    """Refuse an output path that is not a regular file or a new name, or is one of the run's inputs.

    A device, FIFO or socket would be replaced by a regular file (as root, /dev/null itself); the
    inputs are compared by identity, so a link or another spelling of an input is refused too.
    """
    if path.is_dir():
        raise OptionError(option, f'"{path}" is a folder; give a file name, e.g. "{path / "report.docx"}"')
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OptionError(option, f'the folder "{parent}" of "{path}" does not exist')
    _refuse_special(path, option)
    for source in inputs:
        if _same_file(path, Path(source)):
            raise OptionError(option, f'"{path}" is one of the input files; choose another output name')
    _refuse_run_input(path, option)


def _refuse_special(path: Path, option: str) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # a new name (or a dangling link, which the rename replaces)
    kind = special_kind(mode)
    if kind is not None:
        raise OptionError(option, f'"{path}" is {kind}, not a regular file; give a file name')


def _refuse_run_input(path: Path, option: str) -> None:
    """Refuse an output that is a file this run read: the config, a template and what it includes."""
    if input_at(path) is not None:
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


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def remove_stale_parts(path: Path) -> list[Path]:
    """Remove temporary files a killed run (SIGKILL, power cut) left beside ``path``; return them.

    A temporary file is named ".<name>.<pid>.<random>.part"; it is stale when no process with that
    id is running here. Windows is skipped: os.kill there would end the process rather than probe it.
    """
    if os.name != "posix":
        return []
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[A-Za-z0-9_]+\.part")
    removed = []
    for candidate in folder.glob(f".{glob.escape(path.name)}.*.part"):
        match = pattern.fullmatch(candidate.name)
        if match and int(match.group(1)) != os.getpid() and not _process_alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed


@contextlib.contextmanager
def atomic_path(path: Path, inputs: Iterable[Path] = (), option: str = "--output") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends cleanly it replaces ``path``.

    On any exception (KeyboardInterrupt included) the temporary file is removed and an existing
    ``path`` is left untouched. Only SIGKILL (or a power cut) can leave the temporary file behind;
    the next run for the same ``path`` removes it (see ``remove_stale_parts``).
    """
    path = Path(path)
    check_output(path, inputs, option)
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale_parts(path)
    temp: Path | None = None
    with _ctrl_c_deferred() as release:
        try:
            try:
                fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=folder)
            except OSError as exc:
                raise OptionError(option, f'cannot write in "{folder}": {exc.strerror}') from exc
            temp = Path(name)
            os.close(fd)
            # From here a Ctrl-C finds ``temp`` known and is cleaned up below.
            release()
            yield temp
            with open(temp, "rb+") as handle:
                os.fsync(handle.fileno())
            # Checked again: the template (and what it includes) is read after the first check,
            # and the path may have been made a device or a FIFO meanwhile.
            _refuse_special(path, option)
            _refuse_run_input(path, option)
            mode = path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode()
            os.chmod(temp, mode)
            os.replace(temp, path)
        except BaseException:
            if temp is not None:
                temp.unlink(missing_ok=True)
            raise
    _fsync_folder(folder)


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[Callable[[], None]]:
    """Hold back Ctrl-C while the temporary file is created, until the caller knows its name.

    A Ctrl-C landing between the file's creation and the assignment of its name would leave
    the file behind. Where signals can be blocked (POSIX, main thread) SIGINT (and SIGTERM,
    SIGHUP) wait until
    ``release()``; a pending one is then raised there, inside the caller's cleanup.
    """
    can_block = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    # SIGTERM and SIGHUP clean up as Ctrl-C does (see util.signals), so they wait too.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, set(TERMINATING)) if can_block else None
    released = False

    def release() -> None:
        nonlocal released
        if previous is not None and not released:
            released = True
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    try:
        yield release
    finally:
        release()


@contextlib.contextmanager
def temporary_folder(prefix: str) -> Iterator[str]:
    """A temporary folder, removed when the block ends however it ends (Ctrl-C, SIGTERM, SIGHUP too).

    tempfile.TemporaryDirectory makes the folder in its constructor: a stop landing there, between
    the folder's creation and the ``with`` that removes it, left it behind (seen on a loaded
    machine). The signals wait while it is made, as for ``atomic_path``'s temporary file.
    """
    folder: tempfile.TemporaryDirectory[str] | None = None
    try:
        with _ctrl_c_deferred():
            folder = tempfile.TemporaryDirectory(prefix=prefix)
        yield folder.name
    finally:
        if folder is not None:
            folder.cleanup()


def write_atomic(path: Path, data: bytes, inputs: Iterable[Path] = (), option: str = "--output") -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_path``)."""
    with atomic_path(path, inputs, option) as temp:
        try:
            temp.write_bytes(data)
        except OSError as exc:
            raise OptionError(option, f'cannot write "{path}": {exc.strerror}') from exc
