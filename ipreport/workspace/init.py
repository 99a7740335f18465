"""`ipreport init`: a working folder with ipreport.toml, a plan file and a statistics workbook to fill in."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ipreport.errors import InputError, OptionError, Problem
from ipreport.util import resources

STATS_NAME = "统计数据.xlsx"
SKELETON_NAME = "plan.toml"
FOLDER_ARGUMENT = "DIR"  # how `ipreport init -h` names the folder argument

CONFIG_TEXT = """\
# ipreport 工作目录配置（ipreport.toml）。在本目录运行 `ipreport report` 即按这里的设置生成年度报告；
# 命令行上给出的选项优先于这里的设置。相对路径以本文件所在目录为准。

plans = ["{plan}"]  # 规划文件（.toml）或内置规划编号，可列多个
stats = "{stats}"  # 统计数据（.xlsx 或 .csv）
out_dir = "."  # 报告写入的目录
lang = "zh"  # 报告的语言：zh 或 en
# ui_lang = "zh"  # 提示信息和帮助的语言（默认：按系统区域设置）

# year = {year}  # 评估年份（默认：数据中的最新年份）
# as_of = {year}-12-31  # 重点任务的评估日期（默认：评估年份 12 月 31 日）
# region = "某省"  # 统计数据含多个地区时评估哪一个（默认：规划所属地区）
# template = "report.docx"  # 自定义报告模板
# encoding = "gb18030"  # CSV 统计数据的编码（默认：自动识别）
"""

# A setting (possibly commented out) followed by its explanation after two or more spaces.
_SETTING_LINE = re.compile(r"^(?P<setting>(?:# )?[a-z_]+ = .*?\S)\s{2,}(?P<comment># .*)$")


def align_comments(text: str) -> str:
    """Start the explanations of settings in one column (display width), per run of setting lines."""
    from ipreport.util.display_width import display_width as wcswidth

    lines = text.split("\n")
    block: list[int] = []
    for number, line in enumerate([*lines, ""]):
        if number < len(lines) and _SETTING_LINE.match(line):
            block.append(number)
            continue
        if number < len(lines) and not line:
            continue  # blank lines between groups of settings keep one column for the whole file
        if block:
            parts = [_SETTING_LINE.match(lines[i]) for i in block]
            column = max(wcswidth(part["setting"]) for part in parts if part) + 2
            for i, part in zip(block, parts, strict=True):
                assert part is not None
                lines[i] = part["setting"] + " " * (column - wcswidth(part["setting"])) + part["comment"]
            block = []
    return "\n".join(lines)


SKELETON_TEXT = """\
# 规划文件：一份政策文件一个文件。先填 [plan]，再为每项量化目标或重点任务写一个 [[target]]。
# 写好后运行 `ipreport validate {name}` 检查，
# 再删除空的 统计数据.xlsx，运行 `ipreport stats-template {name} -o 统计数据.xlsx` 重新生成统计表。

[plan]
id = "my-plan"                    # 编号：小写字母、数字和连字符 [a-z0-9-]+
title = "（规划或文件标题）"        # 文件全称
region = "（地区）"                # 规划所属地区，如 "吉林省"；统计数据中的地区名须与之一致
start_year = {start}                # 规划期第一年
target_year = {end}               # 规划期末年，也是各目标的默认目标年份
# document = "某政发〔{start}〕1号"   # 文号
# issuer = "某省人民政府"          # 发文机关
# issued = {start}-03-01              # 印发日期（不加引号的日期）
# baseline_year = {base}            # 基期年份

# 每个 [[target]] 的通用键：
#   id         编号 [a-z0-9-]+，在本文件内唯一（必填）
#   name       指标或任务名称，照抄文件（必填）
#   kind       level 达到某一水平 | growth 年均增长 | range 区间 | trend 方向 | milestone 重点任务（必填）
#   dimension  创造 运用 保护 管理 服务 人才 其他（默认 其他）
#   indicator  统计数据中的指标名称（默认同 name）；aliases = ["别名"] 为其他写法
#   unit       单位，如 "件/万人"、"%"、"亿元"
#   direction  increase 不低于目标（默认）| decrease 不高于目标
#   year       目标年份（默认 target_year）
#   strive     true 表示“力争”；approximate = true 表示“左右”
#   attribute  expected 预期性（默认）| binding 约束性
#   aggregate  latest 取最新值（默认）| sum 规划期内逐年累计
#   measure    stock 存量，报告写“截至年底” | flow 年度流量，写“全年”（默认按指标目录判断）
#   responsible = ["责任单位"]；quote = "文件原文"
# 按类型的键：
#   level      target = 12（可写 "2.4万"、"50亿"、"95%"）；interim = {{ {mid} = 9 }} 中期目标；
#              baseline = {{ year = {base}, value = 6.3 }} 基期值（level、growth、range、trend 可用）
#   growth     rate = "10%" 年均增速
#   range      min = 3, max = 5
#   trend      只需 direction
#   milestone  deadline = {end}-12-31 完成时限，或 ongoing = true 持续推进
# 可选的 [thresholds] 表调整状态分档（R 的下限）：ahead = 1.0, on_track = 0.95, accelerate = 0.6, behind = 0.0

# [[target]]
# id = "invention-patents-per-10k"
# name = "每万人口高价值发明专利拥有量"
# dimension = "创造"
# kind = "level"
# target = 12
# unit = "件/万人"
# quote = "每万人口高价值发明专利拥有量达到12件"

# [[target]]
# id = "service-platform"
# name = "建成知识产权公共服务平台"
# dimension = "服务"
# kind = "milestone"
# deadline = {end}-06-30
# responsible = ["省知识产权局"]
"""


def skeleton_plan(start_year: int, name: str = SKELETON_NAME) -> str:
    """An empty plan file whose comments explain every key of the format; it validates as it is."""
    end = start_year + 4
    text = SKELETON_TEXT.format(name=name, start=start_year, end=end, base=start_year - 1, mid=start_year + 2)
    return align_comments(text)


def _bundled_plan(plan_id: str) -> Path:
    from ipreport.plans.load import bundled_ids, load_plan

    if plan_id.lower().endswith(".toml") or Path(plan_id).is_file():
        # Last year's own plan file: checked before anything is written.
        path = Path(plan_id)
        if not path.is_file():
            message = f'expected a plan file or a bundled plan id, found "{plan_id}" (no such file)'
            raise OptionError("--plan", message)
        load_plan(path)
        return path
    ids = bundled_ids()
    if plan_id not in ids:
        nearest = difflib.get_close_matches(plan_id, ids, n=1)
        hint = f' (did you mean "{nearest[0]}"?)' if nearest else ""
        raise OptionError("--plan", f'no bundled plan "{plan_id}"{hint}; bundled plans: {", ".join(ids)}')
    return resources.targets_dir() / f"{plan_id}.toml"


def _check_folder(folder: Path) -> None:
    """Refuse a folder that is a file or lies under one, before anything is written."""
    if folder.exists() and not folder.is_dir():
        raise OptionError(FOLDER_ARGUMENT, f'"{folder}" is a file, not a folder')
    for parent in folder.parents:
        if parent.exists():
            if not parent.is_dir():
                message = f'cannot create "{folder}": "{parent}" is a file, not a folder'
                raise OptionError(FOLDER_ARGUMENT, message)
            return


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(FOLDER_ARGUMENT, f'cannot create "{folder}": {exc.strerror or exc}') from None


def init_workspace(folder: Path, plan_id: str | None = None, start_year: int | None = None) -> list[Path]:
    """Create ``folder`` with ipreport.toml, a plan file and a statistics workbook; never overwrite.

    Returns the files written. ``start_year`` (default: this year) dates the skeleton plan.
    """
    from ipreport.util.atomic import write_atomic
    from ipreport.workspace.stats_template import write_stats_template

    source = _bundled_plan(plan_id) if plan_id is not None else None
    plan_path = folder / (source.name if source is not None else SKELETON_NAME)
    config_path = folder / "ipreport.toml"
    stats_path = folder / STATS_NAME
    _check_folder(folder)
    existing = [path for path in (config_path, plan_path, stats_path) if path.exists()]
    if existing:
        raise InputError(
            [Problem(str(path), "already exists; ipreport init never overwrites a file") for path in existing]
        )
    if start_year is None:
        from ipreport.util.clock import today

        start_year = today().year
    _make_folder(folder)
    if source is not None:
        plan_bytes = source.read_bytes()
    else:
        plan_bytes = skeleton_plan(start_year).encode("utf-8")
    # Written first and labelled DIR: a folder that cannot be written in fails here, naming the argument.
    write_atomic(plan_path, plan_bytes, option=FOLDER_ARGUMENT)
    write_stats_template([str(plan_path)], stats_path, through=start_year)
    config = align_comments(CONFIG_TEXT.format(plan=plan_path.name, stats=STATS_NAME, year=start_year))
    write_atomic(config_path, config.encode("utf-8"), option=FOLDER_ARGUMENT)
    return [config_path, plan_path, stats_path]


def init_from(folder: Path, last: Path, through: int | None = None) -> list[Path]:
    """Next year's folder from last year's: its config and plan files copied, its statistics carried.

    The statistics sheet is written anew for the plans with last year's values in it and a column per
    year through ``through`` (default: this year); files outside ``last`` are referred to, not copied.
    Nothing is overwritten.
    """
    import shutil

    from ipreport.util.atomic import write_atomic
    from ipreport.workspace.config import CONFIG_NAME, load_config
    from ipreport.workspace.stats_template import write_stats_template

    source_config = last / CONFIG_NAME
    if not source_config.is_file():
        raise OptionError("--from", f'"{last}" has no {CONFIG_NAME}; give the folder of last year\'s report')
    config = load_config(source_config)
    plans = [str(ref) for ref in config.values.get("plans", ())]
    copies: dict[Path, Path] = {}
    for ref in plans:
        inside = _inside(Path(ref), last)
        if inside is not None:
            copies[Path(ref)] = folder / inside
    template = config.values.get("template")
    if template and _inside(Path(template), last) is not None and "template" not in config.deferred:
        copies[Path(template)] = folder / _inside(Path(template), last)  # type: ignore[operator]
    stats = config.values.get("stats")
    stats_inside = _inside(Path(stats), last) if stats else None
    new_stats = folder / (stats_inside if stats_inside is not None else STATS_NAME)
    new_config = folder / CONFIG_NAME
    _check_folder(folder)
    existing = [p for p in (new_config, new_stats, *copies.values()) if p.exists()]
    if existing:
        raise InputError(
            [Problem(str(p), "already exists; ipreport init never overwrites a file") for p in existing]
        )
    _make_folder(folder)
    for source, target in copies.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, source.read_bytes(), option=FOLDER_ARGUMENT)
    new_plans = [str(copies.get(Path(ref), ref)) for ref in plans]
    if through is None:
        from ipreport.util.clock import today

        through = today().year
    written = [new_config, *copies.values()]
    if new_plans:
        carried = stats if stats and "stats" not in config.deferred else None
        new_stats.parent.mkdir(parents=True, exist_ok=True)
        write_stats_template(new_plans, new_stats, existing=carried, through=through)
        written.append(new_stats)
    shutil.copyfile(source_config, new_config)
    return written


def _inside(path: Path, folder: Path) -> Path | None:
    try:
        return path.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
