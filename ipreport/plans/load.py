"""Plan files (TOML): find them, read them, check every value and build ``model.Plan`` objects."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ipreport.errors import InputError, Problem
from ipreport.model import Plan
from ipreport.plans.build import read_document
from ipreport.plans.schema import Checker
from ipreport.plans.toml_lines import LineIndex, decode_utf8, parse_toml
from ipreport.util import resources
from ipreport.util.input_files import PLAN_LIMIT, read_input

__all__ = ["bundled_ids", "bundled_plans", "load_plan", "load_plans", "plan_problems"]


# --------------------------------------------------------------------------- public API


def bundled_ids() -> tuple[str, ...]:
    """Ids of the bundled plans: the stems of the .toml files in ``resources.targets_dir()``."""
    folder = resources.targets_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(path.stem for path in folder.glob("*.toml") if path.is_file()))


def load_plan(ref: str | Path) -> Plan:
    """Read one plan: ``ref`` is a path to a .toml file or the id of a bundled plan.

    Raises InputError listing every problem of the file.
    """
    return load_plans([ref])[0]


def load_plans(refs: Iterable[str | Path]) -> tuple[Plan, ...]:
    """Read several plans, reporting every problem of every file at once.

    Two plans with the same ``[plan].id`` are an error too.
    """
    if isinstance(refs, (str, Path)):  # one ref passed bare must not be read letter by letter
        refs = [refs]
    refs = list(refs)
    repeated, problems = _repeated_refs(refs)
    results = [_check_ref(ref) for index, ref in enumerate(refs) if index not in repeated]
    problems = [problem for result in results for problem in result.problems] + problems
    problems += _duplicate_plan_ids(results)
    if problems:
        raise InputError(problems)
    return tuple(result.plan for result in results if result.plan is not None)


def plan_problems(ref: str | Path) -> list[Problem]:
    """Every problem of one plan file (or bundled id), without raising; empty when it loads."""
    return _check_ref(ref).problems


def bundled_plans() -> tuple[Plan, ...]:
    """Every bundled plan, sorted by id."""
    plans = load_plans(bundled_ids())
    return tuple(sorted(plans, key=lambda plan: plan.id))


# --------------------------------------------------------------------------- finding and reading


@dataclass(frozen=True)
class _Result:
    """What checking one file gave: the plan (only when there were no problems) and the problems."""

    file: str
    plan: Plan | None
    problems: list[Problem]
    id_line: int | None = None


def _repeated_refs(refs: list[str | Path]) -> tuple[set[int], list[Problem]]:
    """Indexes of refs naming a file an earlier ref names, and one problem per such file.

    The problem says the refs as the user gave them, not the path a bundled id resolves to.
    """
    spellings: dict[Path, list[tuple[int, str]]] = {}
    for index, ref in enumerate(refs):
        path = _resolve(ref)
        if not isinstance(path, Problem):
            spellings.setdefault(path.resolve(), []).append((index, str(ref)))
    skipped: set[int] = set()
    problems: list[Problem] = []
    for given in spellings.values():
        if len(given) < 2:
            continue
        skipped.update(index for index, _ in given[1:])
        names = list(dict.fromkeys(name for _, name in given))
        problems.append(Problem(names[0], _given_again(len(given), names)))
    return skipped, problems


def _given_again(count: int, names: list[str]) -> str:
    """The message for a plan given ``count`` times, spelt as ``names`` (each once, in order)."""
    if len(names) == 1:
        if count == 2:
            return "given twice; give each plan once"
        return f"given {count} times; give each plan once"
    if len(names) == 2:
        first, second = names
        if count == 2:
            return f"given twice (as {first} and as {second}); give each plan once"
        return f"given {count} times (as {first} and as {second}); give each plan once"
    # "as a, b and c": the catalogue's {spelling_list} lists the middle ones, "、" between them in Chinese.
    first, spelling_list, last = names[0], ", ".join(names[1:-1]), names[-1]
    return f"given {count} times (as {first}, {spelling_list} and {last}); give each plan once"


def _check_ref(ref: str | Path) -> _Result:
    path = _resolve(ref)
    if isinstance(path, Problem):
        return _Result(path.file, None, [path])
    return _check_file(path)


def _resolve(ref: str | Path) -> Path | Problem:
    path = Path(ref)
    if path.is_file():
        return path
    if path.is_dir():
        return Problem(str(ref), "is a folder, not a plan file")
    if path.exists():
        return path  # a FIFO or a device: refused, without blocking, where it is read
    ids = bundled_ids()
    if str(ref) in ids:
        return resources.targets_dir() / f"{ref}.toml"
    return Problem(str(ref), _not_found_message(path, ids))


def _not_found_message(path: Path, ids: tuple[str, ...]) -> str:
    message = "no such plan file, and no bundled plan has this id"
    if not ids:
        return message + " (there are no bundled plans)"
    nearest = difflib.get_close_matches(path.stem, ids, n=1)
    if nearest:
        message += f' (did you mean "{nearest[0]}"?)'
    return message + "; bundled plans: " + ", ".join(ids)


def _check_file(path: Path) -> _Result:
    file = str(path)
    try:
        data = read_input(path, PLAN_LIMIT, "plan file")
    except InputError as exc:
        return _Result(file, None, exc.problems)
    text = decode_utf8(file, data)
    if isinstance(text, Problem):
        return _Result(file, None, [text])
    document = parse_toml(file, text)
    if isinstance(document, Problem):
        return _Result(file, None, [document])
    checker = Checker(file, LineIndex(text))
    plan = read_document(checker, document)
    if plan is not None:
        _check_bundled_id(checker, path, plan.id)
    problems = sorted(checker.problems, key=lambda p: (p.line is not None, p.line or 0))
    return _Result(file, None if problems else plan, problems, checker.lines.line_of("plan.id"))


def _check_bundled_id(checker: Checker, path: Path, plan_id: str) -> None:
    folder = resources.targets_dir()
    if folder.is_dir() and path.resolve().parent == folder.resolve() and plan_id != path.stem:
        checker.add(
            "plan.id",
            f'"{plan_id}" differs from the file name "{path.stem}"; a bundled plan\'s id is its file stem',
        )


def _duplicate_plan_ids(results: list[_Result]) -> list[Problem]:
    first_file: dict[str, str] = {}
    problems = []
    for result in results:
        if result.plan is None:
            continue
        plan_id = result.plan.id
        if plan_id in first_file:
            message = f'duplicate plan id "{plan_id}" (also in {first_file[plan_id]})'
            problems.append(Problem(result.file, message, line=result.id_line, key="plan.id"))
        else:
            first_file[plan_id] = result.file
    return problems
