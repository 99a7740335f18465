"""`ipreport init`: the working folder it makes works with no editing, and nothing is ever overwritten."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ipreport.cli import cli
from ipreport.errors import InputError, OptionError
from ipreport.plans.load import load_plan
from ipreport.plans.schema import PLAN_KEYS, TARGET_KEYS, THRESHOLD_KEYS
from ipreport.util.resources import targets_dir
from ipreport.workspace.config import load_config
from ipreport.workspace.init import init_workspace, skeleton_plan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_bundled_plan_workspace(tmp_path):
    folder = tmp_path / "2024年度"
    written = init_workspace(folder, "jilin-2016")
    assert written == [folder / "ipreport.toml", folder / "jilin-2016.toml", folder / "统计数据.xlsx"]
    assert (folder / "jilin-2016.toml").read_bytes() == (targets_dir() / "jilin-2016.toml").read_bytes()
    config = load_config(folder / "ipreport.toml")
    assert config.values == {
        "plans": (str(folder / "jilin-2016.toml"),),
        "stats": str(folder / "统计数据.xlsx"),
        "out_dir": str(folder),
        "lang": "zh",
    }
    ws = openpyxl.load_workbook(folder / "统计数据.xlsx")["统计数据"]
    assert [c.value for c in ws[1]][:4] == ["指标", "单位", "完成日期", 2015]  # the plan has tasks


def test_bundled_workspace_runs_gaps_and_check_says_the_sheet_is_unfilled(tmp_path, monkeypatch):
    init_workspace(tmp_path, "qinghai-2017")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["gaps", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Warning: 16 of 16 targets have no data in 统计数据.xlsx: ")
    result = CliRunner().invoke(cli, ["check", "--fail-on", "missed"])
    # An unfilled sheet does not pass (it did, with "check passed: 0 of 16 targets ...").
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == (
        "FAIL no data: none of the 16 targets has a value in the statistics; fill in the statistics, then check again"
    )
    assert result.stdout.splitlines()[1].startswith("check failed: no target could be assessed without data")


def test_skeleton_validates_and_explains_every_key(tmp_path):
    text = skeleton_plan(2024)
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    loaded = load_plan(plan)
    assert (loaded.id, loaded.start_year, loaded.target_year, loaded.targets) == ("my-plan", 2024, 2028, ())
    commented = [line for line in text.splitlines() if "#" in line]
    for key in (*PLAN_KEYS, *TARGET_KEYS, *THRESHOLD_KEYS):
        word = re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])")
        assert any(word.search(line) for line in commented), key
    assert tomllib.loads(text) == {
        "plan": {"id": "my-plan", "title": "（规划或文件标题）", "region": "（地区）", "start_year": 2024,
                 "target_year": 2028}
    }


def test_skeleton_examples_are_valid_targets(tmp_path):
    # Uncommenting the example targets gives a plan that loads: the comments show working syntax.
    lines = skeleton_plan(2024).splitlines()
    start = lines.index("# [[target]]")
    examples = [line[2:] if line.startswith("# ") else line for line in lines[start:]]
    plan = tmp_path / "plan.toml"
    plan.write_text("\n".join(lines[:start] + examples) + "\n", encoding="utf-8")
    assert [t.id for t in load_plan(plan).targets] == ["invention-patents-per-10k", "service-platform"]


def test_skeleton_workspace(tmp_path):
    written = init_workspace(tmp_path / "new", start_year=2024)
    assert [p.name for p in written] == ["ipreport.toml", "plan.toml", "统计数据.xlsx"]
    ws = openpyxl.load_workbook(written[2])["统计数据"]
    assert [c.value for c in ws[1]] == ["指标", "单位", 2023, 2024, 2025, 2026, 2027, 2028]


def test_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / "ipreport.toml").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "统计数据.xlsx").write_bytes(b"mine")
    with pytest.raises(InputError) as caught:
        init_workspace(tmp_path, "jilin-2016")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'ipreport.toml'}: already exists; ipreport init never overwrites a file",
        f"{tmp_path / '统计数据.xlsx'}: already exists; ipreport init never overwrites a file",
    ]
    assert not (tmp_path / "jilin-2016.toml").exists()
    assert (tmp_path / "ipreport.toml").read_text(encoding="utf-8") == "# mine\n"


def test_unknown_bundled_plan(tmp_path):
    with pytest.raises(OptionError) as caught:
        init_workspace(tmp_path, "jilin-2061")
    assert str(caught.value) == (
        '--plan: no bundled plan "jilin-2061" (did you mean "jilin-2016"?); '
        "bundled plans: fuxin-2017, jilin-2016, jilin-2022, qinghai-2017"
    )
    assert list(tmp_path.iterdir()) == []


def test_cli_init_and_exit_codes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "office", "--plan", "jilin-2022"])
    assert result.exit_code == 0, result.output
    assert result.output == "Wrote office/ipreport.toml\nWrote office/jilin-2022.toml\nWrote office/统计数据.xlsx\n"
    result = CliRunner().invoke(cli, ["init", "office", "--plan", "jilin-2022"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Error: office/ipreport.toml: already exists; ipreport init never overwrites a file"
    result = CliRunner().invoke(cli, ["init", "other", "--plan", "nope"])
    assert result.exit_code == 2
    assert result.output.startswith('Error: --plan: no bundled plan "nope"; bundled plans: ')


def test_cli_init_in_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ipreport.toml", "plan.toml", "统计数据.xlsx"]


def test_folder_that_is_a_file(tmp_path):
    target = tmp_path / "f"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(OptionError) as caught:
        init_workspace(target)
    assert str(caught.value) == f'DIR: "{target}" is a file, not a folder'
    assert Path(target).read_text(encoding="utf-8") == "x"


def test_folder_under_a_file_is_a_dir_error(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "afile/sub"])
    assert result.exit_code == 2
    assert result.output == 'Error: DIR: cannot create "afile/sub": "afile" is a file, not a folder\n'
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"


def test_folder_that_cannot_be_created(tmp_path, monkeypatch):
    # As root chmod blocks nothing, so the refusal a read-only parent gives is simulated.
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "out/sub"])
    assert result.exit_code == 2
    assert result.output == 'Error: DIR: cannot create "out/sub": Permission denied\n'


def test_folder_that_cannot_be_written_in_names_dir(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "out"])
    assert result.exit_code == 2
    assert result.output == 'Error: DIR: cannot write in "out": Permission denied\n'
    assert list((tmp_path / "out").iterdir()) == []


def _comment_columns(text: str) -> set[int]:
    from wcwidth import wcswidth

    columns = set()
    for line in text.splitlines():
        cut = line.find("  # ")
        if cut > 0:
            columns.add(wcswidth(line[: cut + 2]))
    return columns


@pytest.mark.parametrize("plan", [None, "jilin-2016"])
def test_config_comments_start_in_one_column(tmp_path, plan):
    # Counted in display width: CJK values such as "统计数据.xlsx" take two columns a character.
    init_workspace(tmp_path, plan, start_year=2024)
    text = (tmp_path / "ipreport.toml").read_text(encoding="utf-8")
    assert len(_comment_columns(text)) == 1
    if plan is None:
        assert 'stats = "统计数据.xlsx"     # 统计数据（.xlsx 或 .csv）' in text
        assert "# as_of = 2024-12-31        # 重点任务的评估日期" in text


def test_skeleton_plan_comments_start_in_one_column():
    plan_block = skeleton_plan(2024).split("[plan]\n")[1].split("\n\n")[0]
    assert len(_comment_columns(plan_block)) == 1
    assert 'title = "（规划或文件标题）"      # 文件全称' in plan_block
