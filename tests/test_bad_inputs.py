"""The bad-input corpus: every broken file or option in tests/fixtures/bad/cases.toml gets its exact answer.

Adding a case is adding a [[case]] row (and its fixture) to cases.toml; nothing here changes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cause import CAUSE, all_match, matches
from click.testing import CliRunner
from english_words import english_words

from ipreport.cli import cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BAD = Path(__file__).parent / "fixtures" / "bad"
CASES: list[dict[str, Any]] = tomllib.loads((BAD / "cases.toml").read_text(encoding="utf-8"))["case"]
CASE_KEYS = {"id", "about", "args", "exit", "stderr", "stdout"}


@pytest.fixture
def unwritable() -> Iterator[str]:
    """A folder no new file can be made in; root ignores modes, so it gets /sys (read-only in Linux)."""
    if os.geteuid() == 0:
        yield "/sys"
        return
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o555)
        try:
            yield folder
        finally:
            os.chmod(folder, 0o755)


@pytest.fixture
def fifo(tmp_path: Path) -> str:
    """A named pipe: the special file an output is tried on (never a device such as /dev/null)."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return str(path)


def _fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def test_the_corpus_is_large_and_well_formed() -> None:
    assert len(CASES) >= 40
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    for case in CASES:
        assert set(case) <= CASE_KEYS, f"{case['id']}: unknown keys {set(case) - CASE_KEYS}"
        assert case["exit"] in (1, 2) and case["stderr"], case["id"]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_bad_input_gets_its_exact_message(
    case: dict[str, Any], unwritable: str, fifo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Paths in messages are the ones given on the command line, so cases name files relative to BAD.
    monkeypatch.chdir(BAD)
    values = {"unwritable": unwritable, "fifo": fifo}
    args = [_fill(arg, values) for arg in case["args"]]
    before = {path.name: path.stat().st_mtime_ns for path in BAD.iterdir()}
    result = CliRunner().invoke(cli, args)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        f"{case['id']}: raised {result.exception!r}"
    )
    assert all_match([_fill(line, values) for line in case["stderr"]], result.stderr.splitlines())
    assert result.stdout.splitlines() == case.get("stdout", [])
    assert result.exit_code == case["exit"]
    # A refused run writes nothing and leaves every input as it was.
    assert {path.name: path.stat().st_mtime_ns for path in BAD.iterdir()} == before


def _documented(message: str, doc: str) -> bool:
    """The message is in the doc; where the corpus has {cause}, a table row shows it with an actual cause."""
    escaped = message.replace("|", "\\|")
    if CAUSE not in message:
        return escaped in doc
    return any(matches(escaped, line.rstrip(" |").rpartition(" | ")[2]) for line in doc.splitlines())


def test_docs_robustness_lists_every_message() -> None:
    doc = (BAD.parents[2] / "docs" / "robustness.md").read_text(encoding="utf-8")
    missing = [
        case["id"] for case in CASES if not all(_documented(line, doc) for line in case["stderr"])
    ]
    assert not missing, f"docs/robustness.md lacks the messages of {missing}"


@pytest.mark.parametrize("case", [case for case in CASES if not any(CAUSE in line for line in case["stderr"])],
                         ids=lambda case: case["id"])
def test_bad_input_is_told_in_chinese_under_a_chinese_interface(
    case: dict[str, Any], unwritable: str, fifo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every message the corpus holds, whole: messages built from parts (a target's label, a decoding
    # failure's place, a count of lines) were half English when only their frame was in the catalogue.
    # (Cases quoting another library's words, {cause}, are left out: those words stay that library's.)
    monkeypatch.chdir(BAD)
    values = {"unwritable": unwritable, "fifo": fifo}
    result = CliRunner().invoke(cli, ["--ui-lang", "zh", *[_fill(arg, values) for arg in case["args"]]])
    assert result.exit_code == case["exit"]
    lines = result.stderr.splitlines()
    assert len(lines) == len(case["stderr"])
    assert all(line.startswith("错误：") for line in lines), lines
    assert [line for line in lines if english_words(line)] == []
