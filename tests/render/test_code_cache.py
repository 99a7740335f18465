"""Compiled template code kept on disk (render/templating/code_cache.py): reused, never trusted blindly."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
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
