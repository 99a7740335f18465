"""Compiled template code kept on disk (render/templating/code_cache.py): reused, never trusted blindly."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ipreport.render.templating import code_cache, env

SOURCE = "{% for x in items %}{{ x }}-{% endfor %}{{ 'done' ~ '!' }}"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IPREPORT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(env, "_COMPILED", {})  # nothing from earlier tests in this process
    return tmp_path / "templates"


def _render() -> str:
    return env.make_environment().from_string(SOURCE).render(items=[1, 2])


def test_a_template_compiled_once_is_read_back_not_compiled(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _render() == "1-2-done!"
    assert len(list(folder.iterdir())) == 1
    monkeypatch.setattr(env, "_COMPILED", {})  # as a new process
    compiled: list[object] = []
    original = env.ReportSandbox.compile
    monkeypatch.setattr(env.ReportSandbox, "compile", lambda *a, **k: compiled.append(a) or original(*a, **k))
    assert _render() == "1-2-done!"
    assert compiled == []


def test_a_new_process_reuses_the_code_and_keeps_the_sandbox(folder: Path) -> None:
    _render()
    script = (
        "from ipreport.render.templating import env\n"
        "calls = []\n"
        "original = env.ReportSandbox.compile\n"
        "env.ReportSandbox.compile = lambda *a, **k: calls.append(1) or original(*a, **k)\n"
        f"print(env.make_environment().from_string({SOURCE!r}).render(items=range(3)), len(calls))\n"
        "try:\n"
        f"    env.make_environment().from_string({SOURCE!r}).render(items=range(2_000_000))\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "IPREPORT_CACHE_DIR": str(folder.parent)}).stdout
    # Read back, not compiled; the loop guard of the sandbox is in the code read back.
    assert shown == "0-1-2-done! 0\nSecurityError\n"


def test_an_entry_others_may_write_is_not_used(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _render()
    (entry,) = folder.iterdir()
    # Code another user planted: valid, but not what the template says.
    planted = env.ReportSandbox(undefined=env.jinja2.StrictUndefined).compile("planted")
    entry.write_bytes(marshal.dumps(planted))
    entry.chmod(0o666)
    monkeypatch.setattr(env, "_COMPILED", {})
    assert _render() == "1-2-done!"
    entry.chmod(0o600)  # the user's own entry is trusted: this is what the check above refused
    monkeypatch.setattr(env, "_COMPILED", {})
    assert _render() == "planted"
    entry.write_bytes(b"damaged")
    monkeypatch.setattr(env, "_COMPILED", {})
    assert _render() == "1-2-done!"


def test_another_setting_is_another_entry(folder: Path) -> None:
    _render()
    env.make_environment(autoescape=True).from_string(SOURCE).render(items=[1])
    assert len(list(folder.iterdir())) == 2


def test_an_empty_cache_dir_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPREPORT_CACHE_DIR", "")
    monkeypatch.setattr(env, "_COMPILED", {})
    assert code_cache.cache_folder() is None
    assert _render() == "1-2-done!"
    assert list(tmp_path.iterdir()) == []


def test_without_a_home_folder_there_is_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IPREPORT_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    monkeypatch.setattr(env, "_COMPILED", {})
    assert code_cache.cache_folder() is None
    assert _render() == "1-2-done!"


# Pruning: old entries go when a new one is written; nothing else is touched.

NOW = 2_000_000_000.0


def _entry(folder: Path, name: str, days_unused: float, data: bytes = b"x") -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    path.chmod(0o600)
    when = NOW - days_unused * code_cache.DAY
    os.utime(path, (when, when))
    return path


def _name(number: int) -> str:
    return f"{number:064x}"


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_cache, "_PRUNED", set())


def test_entries_unused_for_30_days_go_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    _entry(folder, _name(1), 31)
    _entry(folder, _name(2), 29)
    _entry(folder, f".{_name(3)}.4242", 2)  # a write that never finished
    _entry(folder, f".{_name(4)}.4242", 0.5)  # a write in progress elsewhere
    _entry(folder, "notes.txt", 400)  # not the cache's
    _entry(folder, _name(0xABC5).upper(), 400)  # not a name the cache gives
    outside = _entry(tmp_path / "elsewhere", _name(6), 400)
    (folder / _name(7)).symlink_to(outside)
    os.utime(folder / _name(7), (NOW - 400 * code_cache.DAY,) * 2, follow_symlinks=False)
    (folder / _name(8)).mkdir()
    os.utime(folder / _name(8), (NOW - 400 * code_cache.DAY,) * 2)
    assert code_cache.prune(folder, now=NOW) == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [_name(2), f".{_name(4)}.4242", "notes.txt", _name(0xABC5).upper(), _name(7), _name(8)]
    )
    assert outside.read_bytes() == b"x"


def test_past_the_bound_the_least_recently_used_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_cache, "MAX_ENTRIES", 3)
    folder = tmp_path / "templates"
    for number in range(5):
        _entry(folder, _name(number), 10 - number)  # _name(4) used last
    assert code_cache.prune(folder, now=NOW) == 2
    assert sorted(p.name for p in folder.iterdir()) == [_name(2), _name(3), _name(4)]


def test_an_entry_read_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    path = _entry(folder, _name(1), 31)
    os.utime(path, (time.time() - 31 * code_cache.DAY,) * 2)
    assert code_cache.read_entry(folder, _name(1)) == b"x"
    assert code_cache.prune(folder) == 0
    assert path.exists()


def test_writing_a_new_entry_prunes_its_folder_once_a_process(
    folder: Path, fresh_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = _entry(folder, _name(1), 31)
    os.utime(stale, (time.time() - 31 * code_cache.DAY,) * 2)
    scans: list[object] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: scans.append(path) or scandir(path))
    assert _render() == "1-2-done!"  # writes an entry
    assert not stale.exists() and len(list(folder.iterdir())) == 1
    env.make_environment(autoescape=True).from_string(SOURCE).render(items=[1])  # writes another
    assert len(list(folder.iterdir())) == 2 and len(scans) == 1


def test_a_failure_to_prune_fails_nothing(folder: Path, fresh_process: None, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = _entry(folder, _name(1), 31)
    os.utime(stale, (time.time() - 31 * code_cache.DAY,) * 2)

    def refused(path: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", refused)
    assert _render() == "1-2-done!"
    assert stale.exists() and len(list(folder.iterdir())) == 2


def test_a_folder_others_may_write_to_is_not_pruned(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    stale = _entry(folder, _name(1), 31)
    folder.chmod(0o777)
    assert code_cache.prune(folder, now=NOW) == 0
    assert stale.exists()
