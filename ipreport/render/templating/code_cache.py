"""Compiled template code kept on disk between runs, so that a single report does not compile its templates.

A report without charts compiles about fifteen templates (the Word template's parts and the wording's
sentence templates): parsing, the sandbox's guards and Python's own compile were a fifth of the run.
The code of one source under one environment's settings is always the same, so it is kept under
a name that is the hash of everything it depends on: the source, its name and file, the settings
(CompiledOnceSandbox.compile_settings), the versions of Python and Jinja, and the text of the modules
that shape it (the sandbox's guards, the environment). A changed input is a different name; an
entry is never updated in place, so an old one is simply never read again.

The folder is ``IPREPORT_CACHE_DIR``, else ``$XDG_CACHE_HOME/ipreport``, else ``~/.cache/ipreport``
(``%LOCALAPPDATA%\\ipreport`` on Windows); ``IPREPORT_CACHE_DIR=""`` turns the cache off. Code read
from disk runs: an entry is used only from a folder and a file the user owns that nobody else may
write to, and anything unreadable, foreign or damaged is compiled afresh. Any failure to write is
ignored: the cache only ever saves time.

Old entries are pruned, since an edited template or a new version leaves its old ones unread for
ever: the first time a process writes an entry into a folder, it deletes from that folder the entries
not used for 30 days (reading an entry marks it used, at most once a day) and, past 2000 entries,
the least recently used (word-prepared/ too, through write_entry). Only regular files the user owns
whose names are the cache's own (a hash, or a temporary name left by a write that did not finish)
are deleted; links, folders and other files are left alone, and a failure to prune is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import stat
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import CodeType

_FORMAT = "1"  # bump when the entry's layout changes
_SHAPING_MODULES = ("render/templating/sandbox.py", "render/templating/env.py",
                    "render/templating/code_cache.py")
DAY = 24 * 60 * 60
UNUSED_FOR = 30 * DAY  # an entry not read or written for this long is deleted
MAX_ENTRIES = 2000  # per folder; a report uses a few dozen
# An entry's name (a SHA-256 in hex) and the temporary name write_entry gives it before renaming.
_OURS = re.compile(r"[0-9a-f]{64}|\.[0-9a-f]{64}\.[0-9]+")
_PRUNED: set[str] = set()  # folders pruned by this process


def cache_root() -> Path | None:
    """The folder of ipreport's caches (compiled code in templates/, Word template checks in
    word-checks/, prepared Word templates in word-prepared/), or None when caching is turned off."""
    chosen = os.environ.get("IPREPORT_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif os.environ.get("XDG_CACHE_HOME"):
        base = Path(os.environ["XDG_CACHE_HOME"])
    else:
        try:
            base = Path.home() / ".cache"
        except (RuntimeError, KeyError, OSError):  # no home folder to be found: no cache
            return None
    return base / "ipreport"


def cache_folder() -> Path | None:
    """Where compiled code is kept, or None when the cache is turned off."""
    root = cache_root()
    return root / "templates" if root is not None else None


_STAMP: list[str] = []


def dependency_stamp(versions: Iterable[str], modules: Iterable[str], extra: Iterable[bytes] = ()) -> bytes:
    """What an entry of one kind depends on besides its own key, hashed: ``versions`` (the entry's
    format, Python's and the libraries'), the text of the ipreport ``modules`` that shape it (paths
    in the package) and any ``extra`` bytes. A change to any of them names every entry anew."""
    digest = hashlib.sha256("\0".join(versions).encode())
    package = Path(__file__).resolve().parents[2]
    for module in modules:
        digest.update((package / module).read_bytes())
    for chunk in extra:
        digest.update(chunk)
    return digest.digest()


def _stamp() -> str:
    """Versions and the text of the modules that shape the generated code, hashed once per process."""
    if not _STAMP:
        import jinja2

        _STAMP.append(dependency_stamp((_FORMAT, sys.version, jinja2.__version__), _SHAPING_MODULES).hex())
    return _STAMP[0]


def _stable(value: object) -> str:
    """A setting as text that is the same in every process: functions by their module and name."""
    if isinstance(value, tuple):
        return "(" + ",".join(_stable(item) for item in value) + ")"
    if callable(value):
        function = getattr(value, "__func__", value)
        return f"<{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}>"
    return repr(value)


def entry_name(key: tuple[object, ...]) -> str:
    """The file name of the code compiled for ``key`` (source, name, filename, defer_init, settings)."""
    digest = hashlib.sha256(_stamp().encode())
    digest.update(_stable(key).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _trusted(path: Path) -> bool:
    """Whether ``path`` is the user's own and nobody else may write to it (always so on Windows)."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_entry(folder: Path, name: str) -> bytes | None:
    """The bytes of a cache entry, or None when there is none or it cannot be trusted."""
    path = folder / name
    try:
        if not (_trusted(folder) and _trusted(path)):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    _mark_used(path)
    return data


def _mark_used(path: Path) -> None:
    """Set the entry's time to now, so pruning keeps it; once a day at most, to spare the disk."""
    try:
        now = time.time()
        if now - path.stat().st_mtime > DAY:
            os.utime(path, (now, now))
    except OSError:
        return


def write_entry(folder: Path, name: str, data: bytes, *, replace: bool = False) -> None:
    """Keep an entry; written to a temporary name and renamed, so a reader sees all or nothing.

    An entry already there is left as it is (its name says what it holds), unless ``replace``: the
    writer found it damaged. Failures are ignored.
    """
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / name
        if path.exists() and not replace:
            return
        partial = folder / f".{path.name}.{os.getpid()}"
        with open(partial, "wb") as out:
            out.write(data)
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    except (OSError, ValueError):
        return
    if str(folder) not in _PRUNED:
        _PRUNED.add(str(folder))
        prune(folder)


def prune(folder: Path, now: float | None = None) -> int:
    """Delete the cache's own entries in ``folder`` unused for UNUSED_FOR, and the least recently used
    past MAX_ENTRIES; return how many were deleted. Never raises: pruning only ever saves space."""
    try:
        if folder.is_symlink() or not _trusted(folder):
            return 0
        now = time.time() if now is None else now
        entries: list[tuple[float, str]] = []
        with os.scandir(folder) as found:
            for entry in found:
                if not _OURS.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
                if hasattr(os, "getuid") and info.st_uid != os.getuid():
                    continue
                # A temporary file is another process's write in progress unless a day old.
                unused = UNUSED_FOR if not entry.name.startswith(".") else DAY
                entries.append((info.st_mtime if now - info.st_mtime <= unused else -1.0, entry.name))
    except (OSError, ValueError):
        return 0
    entries.sort(reverse=True)  # the most recently used first; the stale (-1) last
    doomed = [name for rank, (used, name) in enumerate(entries) if used < 0 or rank >= MAX_ENTRIES]
    deleted = 0
    for name in doomed:
        try:
            os.unlink(folder / name)  # removes the file itself: checked above not to be a link
            deleted += 1
        except OSError:
            continue
    return deleted


def load(key: tuple[object, ...]) -> CodeType | None:
    """The code kept for ``key``, or None (no cache, no entry, or one that cannot be trusted)."""
    folder = cache_folder()
    if folder is None:
        return None
    data = read_entry(folder, entry_name(key))
    if data is None:
        return None
    try:
        code = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store(key: tuple[object, ...], code: CodeType) -> None:
    """Keep ``code`` for ``key``."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        data = marshal.dumps(code)
    except ValueError:
        return
    write_entry(folder, entry_name(key), data)
