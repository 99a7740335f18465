"""SIGTERM and SIGHUP end a run the way Ctrl-C does: every temporary file and folder is cleaned up.

Python turns SIGINT into KeyboardInterrupt, which unwinds the stack through every ``with`` and
``finally`` (the ``.part`` file of an atomic write, the charts' temporary folder). SIGTERM (``kill``,
a CI timeout, systemd) and SIGHUP (the terminal closed) would end the process on the spot and leave
both behind; here they raise ``Terminated``, a KeyboardInterrupt, so the same cleanup runs.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

# Signals that end a run with cleanup; SIGHUP does not exist on Windows.
TERMINATING = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Terminated(KeyboardInterrupt):
    """The run was stopped by a signal; ``signum`` tells which (the exit status is 128 + signum)."""

    def __init__(self, signum: int = signal.SIGINT, written: str | None = None) -> None:
        super().__init__(signum)
        self.signum = signum
        self.written = written  # what the run finished before it was stopped, for the last message


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def signal_number(exc: KeyboardInterrupt) -> int:
    """The signal that stopped the run: SIGINT for a plain KeyboardInterrupt."""
    return int(getattr(exc, "signum", signal.SIGINT))


def exit_status(exc: KeyboardInterrupt) -> int:
    """128 + the signal number, as a shell reports a process a signal ended (130 for Ctrl-C)."""
    return 128 + signal_number(exc)


def interrupted_message(exc: KeyboardInterrupt) -> str:
    """The last line of a stopped run: what it wrote, or that it wrote nothing."""
    written = getattr(exc, "written", None)
    return f"Interrupted; {written}." if written else "Interrupted; nothing was written."


@contextlib.contextmanager
def cleanup_on_termination() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise ``Terminated`` (SIGINT stays KeyboardInterrupt).

    Only the main thread may set handlers; elsewhere (a test runner's thread) nothing changes.
    Handlers the embedding program set (other than the defaults) are kept.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in TERMINATING:
        if signum == signal.SIGINT:
            continue
        current = signal.getsignal(signum)
        if current in (signal.SIG_DFL, None):
            previous[signum] = current
            signal.signal(signum, _raise_terminated)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def worker_signals() -> None:
    """In a worker process: Ctrl-C is the parent's to handle; SIGTERM and SIGHUP still clean up.

    A Ctrl-C reaches every process of the terminal's group; the parent stops handing out work and
    waits for the reports being written, so each of them is either finished or not begun.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in TERMINATING:
        if signum != signal.SIGINT:
            signal.signal(signum, _raise_terminated)
