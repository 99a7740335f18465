"""The interface in Chinese for a Chinese locale, English otherwise; every user-facing string translated."""

from __future__ import annotations

import ast
import inspect
import os
import re
import shutil
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from english_words import english_words

from ipreport.cli import cli
from ipreport.util import i18n
from ipreport.util.i18n import catalogue_ids, interface_language, locale_language, translate_message, wrap_cjk

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
PLAN = str(FIXTURES / "cli" / "mini.toml")
STATS = str(FIXTURES / "cli" / "mini.csv")
ZH = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LANGUAGE": "", "IPREPORT_LANG": ""}
C = {"LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": "", "IPREPORT_LANG": ""}


def run(env: dict[str, str], *args: str):
    return CliRunner().invoke(cli, list(args), env=env, prog_name="ipreport")


# ------------------------------------------------------------------ choosing the language


def test_locale_precedence():
    assert locale_language({"LANG": "zh_CN.UTF-8"}, windows=False) == "zh"
    assert locale_language({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, windows=False) == "en"
    assert locale_language({"LANG": "C", "LC_MESSAGES": "zh_TW.UTF-8"}, windows=False) == "zh"
    assert locale_language({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, windows=False) == "zh"
    assert locale_language({}, windows=False) == "en"


def test_windows_uses_the_users_ui_language(monkeypatch):
    monkeypatch.setattr(i18n, "_windows_ui_is_chinese", lambda: True)
    assert locale_language({}, windows=True) == "zh"
    assert locale_language({"LANG": "en_US"}, windows=True) == "en"  # a set variable still wins


def test_option_environment_and_config_come_before_the_locale():
    assert interface_language(None, None, {"LANG": "zh_CN.UTF-8", "IPREPORT_LANG": "en"}) == "en"
    assert interface_language("zh", None, {"LANG": "C", "IPREPORT_LANG": "en"}) == "zh"
    assert interface_language(None, "zh", {"LANG": "C"}) == "zh"
    assert interface_language(None, "en", {"LANG": "zh_CN.UTF-8", "IPREPORT_LANG": "zh"}) == "zh"


# ------------------------------------------------------------------ what a new user sees


def test_help_is_chinese_under_a_chinese_locale_and_english_under_c():
    zh = run(ZH, "-h").output
    assert zh.startswith("用法： ipreport [OPTIONS] COMMAND [ARGS]...")
    assert "评估知识产权规划目标的完成情况，撰写年度报告。" in zh and "显示此帮助并退出。" in zh
    assert "gaps            打印差距表：每项目标的最新值、差距和进度状态" in zh
    en = run(C, "-h").output
    assert en.startswith("Usage: ipreport [OPTIONS] COMMAND [ARGS]...")
    assert "Show this message and exit." in en


def test_chinese_help_lines_fit_the_terminal():
    from wcwidth import wcswidth

    for command in ("gaps", "report", "check", "init"):
        output = run(ZH, command, "-h").output
        long = [line for line in output.splitlines() if wcswidth(line) > 80 and "ipreport " not in line]
        assert long == [], command


def test_validate_gaps_and_check_speak_chinese(tmp_path):
    assert run(ZH, "validate", PLAN).output == "通过：已检查 1 个文件，未发现问题。\n"
    thin = tmp_path / "thin.csv"
    thin.write_text("indicator,year,value\n每万人口高价值发明专利拥有量,2023,6.3\n", encoding="utf-8")
    gaps = run(ZH, "gaps", str(FIXTURES / "bad" / "ok.toml"), "--stats", str(thin))
    assert gaps.stderr == (
        '警告：3 项目标中有 2 项在 thin.csv 中没有数据："知识产权质押融资额", "建成知识产权公共服务平台"；'
        "请填写数值（或核对指标名称）后再评估\n"
    )
    check = run(ZH, "check", PLAN, "--stats", STATS, "--fail-on", "滞后预期,逆向变化")
    assert check.exit_code == 1
    assert "检查未通过：3 项目标中 1 项处于不合格状态（滞后预期、逆向变化）；评估年份 2023，截至 2023-12-31" in check.stdout
    english = run(C, "check", PLAN, "--stats", STATS, "--fail-on", "滞后预期,逆向变化")
    assert "check failed: 1 of 3 targets have a failing status (behind, regressing)" in english.stdout


def test_errors_and_clicks_own_messages_are_chinese():
    missing = run(ZH, "gaps", PLAN, "--stats", "nowhere.csv")
    assert missing.exit_code == 2
    # Which help flag Click names (-h or --help) is Click's choice, and changed in 8.3.1.
    assert re.match(r"用法： ipreport gaps \[OPTIONS\] PLAN\.\.\.\n运行 'ipreport gaps (-h|--help)' 查看帮助。\n", missing.stderr)
    assert missing.stderr.splitlines()[-1].startswith("错误：'--stats' 的值无效：")
    unknown = run(ZH, "plans", "show", "jilin-2061")
    assert unknown.stderr == (
        '错误：jilin-2061：没有这个规划文件，也没有这个编号的内置规划（是否应为“jilin-2016”？）；'
        "内置规划：fuxin-2017, jilin-2016, jilin-2022, qinghai-2017\n"
    )
    # Click words this one differently from version to version; the catalogue has each wording.
    bogus = run(ZH, "gaps", "--bogus").stderr.splitlines()[-1]
    assert bogus.startswith("错误：没有选项") and "--bogus" in bogus and "是否应为" in bogus and "--jobs" in bogus


def test_the_switches_override_the_locale(tmp_path, monkeypatch):
    assert run({**ZH, "IPREPORT_LANG": "en"}, "validate", PLAN).output == "OK: 1 file checked, no problems found.\n"
    assert run(C, "--ui-lang", "zh", "validate", PLAN).output == "通过：已检查 1 个文件，未发现问题。\n"
    (tmp_path / "ipreport.toml").write_text('ui_lang = "zh"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(C, "validate", PLAN).output == "通过：已检查 1 个文件，未发现问题。\n"


def test_plan_list_headers_follow_the_interface():
    assert run(ZH, "plans", "list").output.split()[:5] == ["编号", "地区", "规划期", "文号", "目标数"]
    assert run(C, "plans", "list").output.split()[:5] == ["id", "region", "period", "document", "targets"]


def test_an_unknown_message_stays_whole_english():
    assert translate_message("something new: 42", "zh") == "something new: 42"


def test_wrap_keeps_words_and_never_starts_with_punctuation():
    from wcwidth import wcswidth

    lines = wrap_cjk("统计数据文件（.csv 或 .xlsx），长表或宽表均可。", 20)
    assert "".join(lines).replace(" ", "") == "统计数据文件（.csv或.xlsx），长表或宽表均可。"
    assert all(wcswidth(line) <= 22 for line in lines)  # one closing mark may run past the width
    assert not any(line[0] in "，。）" for line in lines)
    assert any(".xlsx" in line for line in lines) and len(lines) == 3


# ------------------------------------------------------------------ the catalogue is complete and built


def _commands(group: click.Group):
    yield group
    for command in group.commands.values():
        if isinstance(command, click.Group):
            yield from _commands(command)
        else:
            yield command


def test_every_help_text_has_a_translation():
    ids = catalogue_ids()
    missing = []
    for command in _commands(cli):
        if command.help and inspect.cleandoc(command.help) not in ids:
            missing.append(command.name)
        missing += [p.name for p in command.params if getattr(p, "help", None) and p.help not in ids]
    assert missing == []


def _sample(node: ast.JoinedStr) -> str | None:
    """The f-string with its fields filled: a plural's "s" left out, any other field an "X"."""
    text = ""
    literal = False
    for part in node.values:
        if isinstance(part, ast.Constant):
            text += str(part.value)
            literal = literal or bool(str(part.value).strip(" :"))
        elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.IfExp):
            text += str(getattr(part.value.orelse, "value", ""))
        elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name) and part.value.id == "files":
            text += ""
        else:
            text += "X"
    return text if literal else None  # nothing of ours to translate (an OS error's own words)


def test_every_user_facing_string_in_cli_has_a_translation():
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "ipreport" / "cli").glob("*.py"))]
    ids = catalogue_ids()
    missing, bare = [], []
    for node in (node for tree in trees for node in ast.walk(tree)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        first = node.args[0]
        if name in ("tr", "usage", "translate_message", "say", "UsageError", "BadParameter", "fail", "progress"):
            if name == "progress":
                first = node.args[1]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if first.value not in ids:
                    missing.append(first.value)
            elif isinstance(first, ast.JoinedStr):
                sample = _sample(first)
                if sample is not None and translate_message(sample, "zh") == sample:
                    missing.append(sample)
        if name == "echo" and isinstance(first, (ast.Constant, ast.JoinedStr)):
            bare.append(ast.unparse(first))  # printed as it is: never translated
        if name in ("UsageError", "BadParameter") and isinstance(first, (ast.Constant, ast.JoinedStr)):
            bare.append(ast.unparse(first))
    assert missing == []
    assert bare == []


def test_the_compiled_catalogue_matches_its_source():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_catalogues
    finally:
        sys.path.pop(0)
    assert build_catalogues.main(["--check"]) == 0


def test_gnu_msgfmt_accepts_the_source(tmp_path):
    import subprocess

    if shutil.which("msgfmt") is None:
        # .ci/run installs GNU gettext: there the test must run; elsewhere it is skipped with the cause.
        if os.environ.get("IPREPORT_REQUIRE_SOFFICE") == "1":
            pytest.fail("msgfmt (GNU gettext) is not installed but CI requires this test to run")
        pytest.skip("GNU gettext's msgfmt is not installed")

    po = ROOT / "ipreport" / "locale" / "zh_CN" / "LC_MESSAGES" / "ipreport.po"
    subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "x.mo"), str(po)], check=True)


def test_csv_headers_follow_the_interface_and_json_keys_stay(tmp_path):
    zh = run(ZH, "gaps", PLAN, "--stats", STATS, "--format", "csv").stdout
    assert zh.startswith("\ufeff规划,地区,编号,名称,维度,类型,单位,目标值,目标年份,")
    assert zh.splitlines()[1] == run(C, "gaps", PLAN, "--stats", STATS, "--format", "csv").stdout.splitlines()[1]
    assert run(C, "gaps", PLAN, "--stats", STATS, "--format", "csv").stdout.startswith("\ufeffplan,region,id,name")
    regions = FIXTURES / "regions"
    each = run(ZH, "gaps", str(regions / "plan.toml"), "--stats", str(regions / "counties.csv"), "--each-region",
               "--format", "csv").stdout
    assert each.startswith("\ufeff规划,地区,") and each.count("规划,地区") == 1
    out = tmp_path / "g.csv"
    assert run(ZH, "gaps", PLAN, "--stats", STATS, "-o", str(out)).exit_code == 0
    assert out.read_text("utf-8").startswith("\ufeff规划,地区,")
    assert '"plans"' in run(ZH, "gaps", PLAN, "--stats", STATS, "--format", "json").stdout


def test_common_option_errors_are_chinese(tmp_path):
    assert run(ZH, "init", str(tmp_path / "x"), "--plan", "jilin-2061").stderr == (
        "错误：--plan：没有内置规划“jilin-2061”（是否应为“jilin-2016”？）；"
        "内置规划：fuxin-2017, jilin-2016, jilin-2022, qinghai-2017\n"
    )
    assert run(ZH, "check", PLAN, "--stats", STATS, "--fail-on", "foo").stderr.splitlines()[-1].startswith(
        "错误：'--fail-on' 的值无效：未知的状态“foo”；有效状态：achieved, missed"
    )


# ------------------------------------------------------------------ every message of the package


def _find_messages():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import find_messages
    finally:
        sys.path.pop(0)
    return find_messages


# Two English words in a row: what must not be left in a translation (outside quotations, option
# names and commands, which stay as the user types them, and the proper names of fonts).
_PROSE = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")
_KEPT = re.compile(r"\"[^\"]*\"|“[^”]*”|'[^']*'|`[^`]*`|ipreport [\w-]+|pip install|--?[\w-]+|Noto Sans CJK")


def _left_in_english(text: str) -> bool:
    return bool(_PROSE.search(_KEPT.sub(" ", text)))


def test_every_message_of_the_package_has_a_translation():
    find_messages = _find_messages()
    found = find_messages.messages()
    # The walk reaches every room that talks to the user (a walk that finds nothing passes nothing).
    rooms = {message.file.split("/")[1] for message in found}
    assert {"plans", "statistics", "inputs.py", "workspace", "extract", "render", "assessment", "util",
            "regions", "cli"} <= rooms
    assert len(found) > 200
    assert [m.msgid for m in find_messages.untranslated(found)] == []
    half = [(m.file, translate_message(m.sample, "zh")) for m in found if _left_in_english(translate_message(m.sample, "zh"))]
    assert half == []


def test_a_new_untranslated_message_fails_the_check(tmp_path):
    """The check above is no formality: a message added without a translation is found, wherever it is."""
    find_messages = _find_messages()
    room = tmp_path / "ipreport" / "statistics"
    room.mkdir(parents=True)
    (room / "new.py").write_text(
        "from ipreport.errors import InputError, Problem\n"
        "def read(file, cell, warnings):\n"
        "    warnings.append(f'{file}: the cell {cell} looks odd')\n"
        "    message = f'expected a number, found {cell}'\n"  # known: translated
        "    raise InputError(Problem(file, f'the moon is made of {cell}'))\n",
        encoding="utf-8",
    )
    found = find_messages.messages(tmp_path / "ipreport")
    assert sorted(m.msgid for m in found) == [
        "expected a number, found {cell}", "the moon is made of {cell}", "{file}: the cell {cell} looks odd"
    ]
    assert sorted(m.msgid for m in find_messages.untranslated(found)) == [
        "the moon is made of {cell}", "{file}: the cell {cell} looks odd"
    ]
    assert find_messages.main(["--missing"]) == 0  # the package itself: nothing missing


def test_messages_are_translated_part_by_part_and_never_half():
    # A message wrapped in a hint of its own is translated when the message is known ...
    assert translate_message('no such plan file, and no bundled plan has this id (did you mean "x"?)', "zh") == (
        "没有这个规划文件，也没有这个编号的内置规划（是否应为“x”？）"
    )
    # ... and stays whole English when it is not.
    assert translate_message('something new (did you mean "x"?)', "zh") == 'something new (did you mean "x"?)'
    # A location or option before a known message is kept; clauses joined by "; " are each translated.
    assert translate_message("--date: no such file", "zh") == "--date：文件不存在"
    assert translate_message(
        'unknown key \'valu\'; valid keys: id, value', "zh"
    ) == "未知的键“valu”；有效的键：id, value"
    assert translate_message("cannot frobnicate; no such file", "zh") == "cannot frobnicate; no such file"
    assert translate_message("", "zh") == ""  # not the catalogue's header, which gettext("") gives
    # The operating system's words (English from Python whatever the locale) for the common failures.
    assert translate_message('cannot write in "/x": Permission denied', "zh") == "无法在“/x”中写入：没有权限"


def test_a_problem_names_its_line_in_chinese():
    from ipreport.errors import Problem
    from ipreport.util.i18n import problem_text, set_language

    problem = Problem("plan.toml", 'expected a number, found "ten"', line=14, key="target[2].value")
    try:
        set_language("zh")
        assert problem_text(problem) == 'plan.toml 第14行 target[2].value：应为数值，实为 "ten"'
        assert problem_text(Problem("s.csv", "no such file")) == "s.csv：文件不存在"
        # An id written with its location ("{file}: ...") is still found.
        assert problem_text(Problem("s.csv", "the file has a header row but no data rows below it", line=1)) == (
            "s.csv 第1行：文件只有表头，下面没有数据行"
        )
        assert problem_text(Problem("s.csv", "something new", line=2)) == "s.csv:2: something new"
        set_language("en")
        assert problem_text(problem) == 'plan.toml:14: target[2].value: expected a number, found "ten"'
    finally:
        set_language("en")


def test_the_librarys_errors_and_warnings_are_chinese(tmp_path):
    examples = ROOT / "examples" / "jilin" / "statistics.csv"
    date = run(ZH, "report", "jilin-2016", "--stats", str(examples), "--date", "2021-02-30",
               "-o", str(tmp_path / "r.docx"))
    assert date.stderr == "错误：--date：应为日期，如 2023-12-31 或 2023年12月31日，实为“2021-02-30”\n"
    assert date.exit_code == 2 and not (tmp_path / "r.docx").exists()
    layout = tmp_path / "layout.csv"
    layout.write_text("a,b\n1,2\n", encoding="utf-8")
    assert run(ZH, "gaps", "jilin-2016", "--stats", str(layout)).stderr == (
        f'错误：{layout} 第1行：无法从表头 "a", "b" 判断表格格式：应为长表，列为 地区、指标、年份、数值'
        "（或 region、indicator、year、value），或宽表，有一列指标（指标）并且每年一列（如 2019、2020年）\n"
    )
    long = tmp_path / "long.csv"  # a quotation cut short says how long it was, in Chinese too
    long.write_text("x" * 5000 + ",y\na,b\n", encoding="utf-8")
    assert run(ZH, "gaps", "jilin-2016", "--stats", str(long)).stderr.startswith(
        f'错误：{long} 第1行：无法从表头 "{"x" * 80}…"（共 5,000 个字符）, "y" 判断表格格式：'
    )
    plan = tmp_path / "plan.toml"
    plan.write_text((FIXTURES / "cli" / "mini.toml").read_text("utf-8").replace("start_year = 2021", "start_year = 2031"),
                    encoding="utf-8")
    lines = run(ZH, "validate", str(plan)).stderr.splitlines()
    assert lines[0] == f"错误：{plan} 第9行 plan.target_year：目标年份 target_year 2025 早于起始年份 start_year 2031"
    stats = tmp_path / "stats.csv"
    stats.write_text(
        "region,indicator,year,value\n某省,每万人口高价值发明专利拥有量,2022,5.8\n某省,每万人口高价值发明专利拥有量,2023,580\n"
        "某省,每万人口高价值发明专利拥有,2023,1\n某地,专利纠纷案件结案率,2023,90\n",
        encoding="utf-8",
    )
    warnings = run(ZH, "gaps", PLAN, "--stats", str(stats)).stderr.splitlines()
    assert warnings[:3] == [
        f"警告：{stats}:3 (2023)：“每万人口高价值发明专利拥有量”的数值 580 是 {stats}:2 (2022) 处数值 5.8 的约 100 倍；"
        "请核对单位（百分数是否写成了小数，万/亿 是否重复或漏写）",
        f"警告：{stats}：指标“每万人口高价值发明专利拥有”（第4行）没有对应的目标（是否应为“每万人口高价值发明专利拥有量”？）",
        f"警告：{stats}：某地 的数据（1 行）未被使用：没有规划覆盖该地区；可使用 --region 某地 或 --each-region",
    ]


def test_plans_show_table_follows_the_language():
    zh = run(ZH, "plans", "show", PLAN).output
    assert "编号" in zh and "名称" in zh and "类型" in zh and "数值" in zh and " level " not in zh
    en = run(C, "plans", "show", PLAN, "--lang", "en").output
    assert "id" in en.split() and "kind" in en.split() and "level" in en.split()


# ------------------------------------------------------------------ the "How to check", as a user runs it

def test_the_english_word_finder_finds_english():
    assert english_words("错误：--date：应为日期，实为“2021-02-30”") == []
    assert english_words("用法： ipreport gaps [OPTIONS] PLAN... 见 docs/json.md，jilin-2016") == []
    assert english_words("错误：--date: expected a date such as 2023-12-31") == ["expected", "date", "such", "as"]
    assert english_words("check passed: 0 of 28 targets") == ["passed", "of", "targets"]


def _how_to_check(env_lang: str, folder: Path) -> list[tuple[str, str, int]]:
    """(command, its stdout and stderr, exit status) of what a new user runs, in ``env_lang``."""
    import subprocess

    env = {key: value for key, value in os.environ.items()
           if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "IPREPORT_LANG")}
    env["LANG"] = env_lang
    stats = str(ROOT / "examples" / "jilin" / "statistics.csv")
    layout = folder / "layout.csv"
    layout.write_text("a,b\n1,2\n", encoding="utf-8")
    runs = [
        ["-h"], ["gaps", "-h"], ["report", "-h"], ["check", "-h"], ["validate", "-h"],
        ["report", "jilin-2016", "--stats", stats, "--date", "2021-02-30"],
        ["gaps", "jilin-2016", "--stats", str(layout)],
        ["gaps", "jilin-2061", "--stats", stats],
        ["validate", "jilin-2016", "--stats", stats],
        ["gaps", "jilin-2016", "--stats", stats],
        ["report", "jilin-2016", "--stats", stats, "-o", "report.md"],
        ["check", "jilin-2016", "--stats", stats],
        ["check", PLAN, "--stats", STATS, "--fail-on", "behind,regressing,overdue"],
    ]
    done = []
    for args in runs:
        result = subprocess.run([sys.executable, "-m", "ipreport", *args], env=env, cwd=folder,
                                capture_output=True, text=True, encoding="utf-8", timeout=120)
        done.append((" ".join(args), result.stdout + result.stderr, result.returncode))
    return done


@pytest.mark.slow
def test_how_to_check_under_a_chinese_locale_is_chinese_throughout(tmp_path):
    runs = _how_to_check("zh_CN.UTF-8", tmp_path)
    english = [(command, line) for command, output, _ in runs for line in output.splitlines() if english_words(line)]
    assert english == []
    assert [status for _, _, status in runs] == [0, 0, 0, 0, 0, 2, 1, 1, 0, 0, 0, 0, 1]
    assert runs[0][1].startswith("用法： ipreport [OPTIONS] COMMAND [ARGS]...")
    assert runs[5][1] == "错误：--date：应为日期，如 2023-12-31 或 2023年12月31日，实为“2021-02-30”\n"
    assert (tmp_path / "report.md").is_file()
    assert "不合格 mini：closure-rate" in runs[-1][1] and "检查未通过" in runs[-1][1]


@pytest.mark.slow
def test_how_to_check_under_a_c_locale_is_english(tmp_path):
    runs = _how_to_check("C.UTF-8", tmp_path)
    chinese_words = ("用法", "错误", "警告", "已写入", "检查", "通过", "不合格", "显示此帮助")
    assert [(command, line) for command, output, _ in runs for line in output.splitlines()
            if line.startswith(chinese_words) or "显示此帮助" in line] == []
    assert runs[0][1].startswith("Usage: ipreport [OPTIONS] COMMAND [ARGS]...")
    assert runs[5][1] == 'Error: --date: expected a date such as 2023-12-31 or 2023年12月31日, found "2021-02-30"\n'
    assert runs[8][1] == "OK: 2 files checked, no problems found.\n"
    assert "\nWarning: 23 of 30 targets have no data in statistics.csv" in runs[9][1]
    assert "check failed: 2 of 3 targets have a failing status (behind, regressing, overdue)" in runs[-1][1]


def test_translating_a_long_unknown_message_is_quick():
    """Every ": " could start the message after a location, every pattern's lazy fields could take
    any part: before the literal pre-checks and the bounds, this took a minute."""
    import time

    start = time.perf_counter()
    assert translate_message("x: " * 2000, "zh") == "x: " * 2000
    assert translate_message(": ".join(f"a{n}; b c" for n in range(300)), "zh").startswith("a0; b c: a1")
    assert time.perf_counter() - start < 2


def test_a_statistics_row_is_placed_by_its_line_and_sheet_in_chinese():
    from ipreport.errors import Problem
    from ipreport.util.i18n import language, problem_text, set_language

    before = language()
    set_language("zh")
    try:
        in_sheet = problem_text(Problem("s.xlsx:数据!3", "region is empty; write the region on every row",
                                        key="region"))
        in_csv = problem_text(Problem("s.csv:2", "region is empty; write the region on every row", key="region"))
    finally:
        set_language(before)
    assert in_sheet == "s.xlsx 工作表“数据” 第3行 region：地区为空；请在每一行填写地区"
    assert in_csv == "s.csv 第2行 region：地区为空；请在每一行填写地区"


def test_a_list_of_any_length_is_listed_the_chinese_way():
    # {spelling_list}: the English ", " between the values becomes "、", and no English is left.
    message = "ok.toml: given 5 times (as a.toml, ./a.toml, ../x/a.toml and x/../a.toml); give each plan once"
    assert translate_message(message, "zh") == (
        "ok.toml：给出了 5 次（写作 a.toml、./a.toml、../x/a.toml 和 x/../a.toml）；每个规划只需给一次"
    )
    assert translate_message("ok.toml: given 3 times (as a.toml and as ./a.toml); give each plan once", "zh") == (
        "ok.toml：给出了 3 次（写作 a.toml 和 ./a.toml）；每个规划只需给一次"
    )



def test_option_help_starts_in_one_column_beside_a_chinese_metavar():
    # "--stats 文件" is 12 columns but 10 characters: padded by characters, its help stood two columns
    # to the right of the others' and ran past 80 columns. (Click names a path's metavar when the
    # command is built, so which metavar `check -h` shows depends on what ran before in the process:
    # the help layout is tested here directly.)
    from wcwidth import wcswidth

    from ipreport.cli.help import _write_cjk_dl

    formatter = click.HelpFormatter(width=80)
    formatter.indent()
    text = "统计数据文件（.csv，或工作簿：.xlsx、.xls、.ods、.et），长表或宽表格式均可。 [必填]"
    _write_cjk_dl(formatter, [("--stats 文件", text), ("--year YEAR", "评估年份。"), ("--junit 文件", "JUnit XML。")])
    lines = formatter.getvalue().splitlines()
    starts = [wcswidth(line) - wcswidth(line.split("  ", 2)[-1].lstrip()) for line in lines if line.startswith("  --")]
    assert len(starts) == 3 and len(set(starts)) == 1, lines
    assert max(wcswidth(line) for line in lines) <= 80, lines
