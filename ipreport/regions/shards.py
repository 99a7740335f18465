"""`gaps --each-region --format json|csv` for a big CSV file, in several worker processes.

Each worker reads the whole file but keeps only the rows of its share of the regions
(``statistics.Shard``), matches and judges them, and writes their part of the document; this process
puts the parts together in the order one process writes them, so the output is the same bytes.

The work goes in two rounds because the assessment year, unless given, is the latest year with data
in any region: the workers read and match (round one), this process settles the year, and the
workers judge and write (round two). Problems are gathered from every worker and reported as one
process would: every reading problem in file order, else every matching problem in region order.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import itertools
import multiprocessing
import queue
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipreport.errors import InputError, IpreportError, Problem
from ipreport.model import Assessment, Observation, Plan, PlanAssessment, Statistics, Status
from ipreport.regions.output import RegionsOutput
from ipreport.statistics.read import Shard
from ipreport.util.collector import collector_paused
from ipreport.util.numbers import fold_name

if TYPE_CHECKING:
    from ipreport.assessment.series import RowIndex, TargetData

# Below this size one process is quicker than workers that each read the whole file: on 2 cores
# bench/shard_threshold.py measured them even at 0.85 MB, 1.09x faster at 1.28 MB, 1.36x at 3.4 MB.
MIN_SHARED_BYTES = 1_000_000
# The readers worth sharing out: CSV text is streamed; an .xlsx workbook is unpacked whole.
_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
# Regions a worker sends at a time: enough for few messages, few enough that it writes on meanwhile.
_BATCH_REGIONS = 32
# Output formats written a plan and region at a time (a table needs every row to set its widths).
SHARED_FORMATS = ("json", "csv")


def worth_sharing(stats_path: str | Path, fmt: str, workers: int) -> bool:
    """Whether sharing the regions of ``stats_path`` out among ``workers`` processes pays."""
    path = Path(stats_path)
    if workers < 2 or fmt not in SHARED_FORMATS or path.suffix.lower() not in _TEXT_SUFFIXES:
        return False
    try:
        return path.stat().st_size >= MIN_SHARED_BYTES
    except OSError:
        return False  # one process reads it and words the problem


@dataclass(frozen=True)
class _Job:
    """What one worker is asked to do (sent by pickling)."""

    plans: tuple[Plan, ...]
    stats_path: str
    encoding: str | None
    shard: Shard
    fmt: str  # one of SHARED_FORMATS
    lang: str


@dataclass(frozen=True)
class _Matched:
    """Round one's answer: the worker's regions, matched, or the problems that stop it."""

    read_problems: tuple[Problem, ...] = ()
    regions: tuple[tuple[int, str], ...] = ()  # (line of the region's first row, its spelling), file order
    match_problems: tuple[tuple[int, tuple[Problem, ...]], ...] = ()  # (region's first line, problems)
    latest: int | None = None  # latest year of the matched series
    skipped: tuple[str, ...] = ()  # the reader's warnings (title rows, unread columns): alike in all
    unused: tuple[tuple[str, int, str], ...] = ()  # (folded indicator, line of its first row, warning)


def each_region_shared(
    plans: Sequence[Plan],
    stats_path: str | Path,
    fmt: str,
    *,
    year: int | None,
    as_of: dt.date | None,
    encoding: str | None,
    lang: str,
    workers: int,
) -> RegionsOutput:
    """``fmt`` output of every plan for every region of ``stats_path``, assessed by ``workers`` processes.

    ``plans`` are loaded and ``year`` and ``as_of`` parsed already; ``year`` is checked here, after
    the statistics are read, as ``main.read_for_assessment`` does.
    """
    from ipreport.assessment.engine import assessment_year, default_as_of
    from ipreport.inputs import check_year

    jobs = [
        _Job(tuple(plans), str(stats_path), encoding, Shard(k, workers), fmt, lang) for k in range(workers)
    ]
    with contextlib.ExitStack() as stack:  # stops the workers if anything below fails
        pool = stack.enter_context(_Workers(jobs))
        matched: list[_Matched] = pool.gather()
        read_problems = _in_file_order(p for m in matched for p in m.read_problems)
        if read_problems:
            raise InputError(read_problems)
        check_year(plans, year)
        match_problems = sorted(
            (entry for m in matched for entry in m.match_problems), key=lambda entry: entry[0]
        )
        if match_problems:
            raise InputError([p for _, problems in match_problems for p in problems])
        if not any(m.regions for m in matched):
            _refuse_without_regions(plans, stats_path, encoding)
        latest = max((m.latest for m in matched if m.latest is not None), default=None)
        year = year if year is not None else assessment_year(plans, latest)
        as_of = as_of if as_of is not None else default_as_of(year)
        counts: Counter[Status] = Counter()
        for answer in pool.gather((year, as_of)):  # round two starts with each worker's status counts
            counts.update(answer)
        # The workers outlive this call: the output is written while they still write their parts.
        workers_left = stack.pop_all()
    warnings = matched[0].skipped + _merged_unused(m.unused for m in matched)
    order = sorted((line, number) for number, m in enumerate(matched) for line, _ in m.regions)
    texts = _texts_in_order(pool, [number for _, number in order], workers_left)
    if fmt == "csv":
        from ipreport.render.exports import csv_head

        return RegionsOutput(warnings, itertools.chain([csv_head()], texts))
    meta = Assessment(plans=(), year=year, as_of=as_of, statistics=Path(stats_path), warnings=warnings)
    return RegionsOutput(warnings, _json_document(meta, counts, texts))


def _texts_in_order(pool: _Workers, owners: list[int], stack: contextlib.ExitStack) -> Iterator[str]:
    """Every region's plan texts in file order, ``owners`` naming the worker of each region in turn.

    The workers send their regions in batches, each in its own file order, so the next region is
    always the next one its worker sends; the workers are stopped when this ends or is closed.
    """
    with stack:
        pool.drain_in_background()
        waiting: list[collections.deque[tuple[str, ...]]] = [collections.deque() for _ in pool.pipes]
        for number in owners:
            texts = waiting[number]
            while not texts:
                texts.extend(pool.receive(number))
            yield from texts.popleft()


def _json_document(meta: Assessment, counts: Counter[Status], texts: Iterator[str]) -> Iterator[str]:
    """The pieces of ``json_chunks``, from the plans' texts in order and the rows' status counts."""
    from ipreport.render.exports import json_head, json_plan_separator, json_tail

    yield json_head(meta, counts)
    number = 0
    for number, text in enumerate(texts, start=1):
        yield json_plan_separator(number - 1)
        yield text
    yield json_tail(meta, number > 0)


def _refuse_without_regions(plans: Sequence[Plan], stats_path: str | Path, encoding: str | None) -> None:
    """Only a file without a region column (or without a single value) has no region: one process
    reads it again and refuses it in its own words."""
    from ipreport.assessment.engine import assess_regions
    from ipreport.statistics.read import read_statistics

    assess_regions(plans, read_statistics(stats_path, encoding=encoding))
    raise AssertionError("assess_regions accepted statistics without regions")  # pragma: no cover


def _in_file_order(problems: Iterator[Problem] | Sequence[Problem]) -> list[Problem]:
    """Problems of every worker once each (a header problem is met by all), by line; stable otherwise."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: p.line or 0)


def _merged_unused(answers: Iterator[tuple[tuple[str, int, str], ...]]) -> tuple[str, ...]:
    """One warning per unused indicator, worded at its first row in the whole file, in file order."""
    first: dict[str, tuple[int, str]] = {}
    for unused in answers:
        for key, line, warning in unused:
            if key not in first or line < first[key][0]:
                first[key] = (line, warning)
    return tuple(warning for _, warning in sorted(first.values()))


class _Workers:
    """The worker processes, one per job, spoken to through a pipe each; all stopped on leaving."""

    def __init__(self, jobs: Sequence[_Job]) -> None:
        self.jobs = jobs
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.pipes: list[Connection] = []
        self.inboxes: list[queue.SimpleQueue[Any]] = []
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> _Workers:
        context = multiprocessing.get_context()
        try:
            for job in self.jobs:
                ours, theirs = context.Pipe()
                self.pipes.append(ours)
                process = context.Process(target=_work, args=(theirs, job), daemon=True)
                process.start()
                theirs.close()
                self.processes.append(process)
        except BaseException as exc:  # the workers started so far are not left behind
            self.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def gather(self, message: object = None) -> list[Any]:
        """Send ``message`` to every worker (none for the first round), then every worker's answer."""
        if message is not None:
            for pipe in self.pipes:
                pipe.send(message)
        return [self.receive(number) for number in range(len(self.pipes))]

    def drain_in_background(self) -> None:
        """From now on, a thread per worker receives its answers as they come.

        A worker's pipe holds little: without it a worker waits, idle, until its part is wanted.
        """
        self.inboxes = [queue.SimpleQueue() for _ in self.pipes]
        for pipe, inbox in zip(self.pipes, self.inboxes, strict=True):
            thread = threading.Thread(target=_drain, args=(pipe, inbox), daemon=True)
            thread.start()
            self.threads.append(thread)

    def receive(self, number: int) -> Any:
        """The next answer of worker ``number``; its traceback raised if it failed."""
        try:
            message = self.inboxes[number].get() if self.inboxes else self.pipes[number].recv()
            if isinstance(message, EOFError):
                raise message
            kind, answer = message
        except EOFError:
            process = self.processes[number]
            process.join(5)
            raise IpreportError(
                f"worker process {number + 1} of {len(self.processes)} stopped unexpectedly "
                f"(exit code {process.exitcode}); try again with --jobs 1"
            ) from None
        if kind == "crash":
            raise RuntimeError(f"worker process {number + 1} failed:\n{answer}")
        return answer

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        # After a failure (or when the reader of the output stops early) the workers' work is not
        # wanted: they are stopped rather than waited for.
        for process in self.processes:
            process.join(5 if kind is None else 0)
            if process.is_alive():
                process.terminate()
                process.join()
        for thread in self.threads:
            thread.join()  # each ends at its worker's end of the pipe
        for pipe in self.pipes:
            pipe.close()


def _drain(pipe: Connection, inbox: queue.SimpleQueue[Any]) -> None:
    """Move every message of ``pipe`` into ``inbox`` until the worker's end of it closes."""
    while True:
        try:
            inbox.put(pipe.recv())
        except (EOFError, OSError):
            inbox.put(EOFError())
            return


def _work(pipe: Connection, job: _Job) -> None:
    """A worker: round one, then (unless told to stop) round two; a bug is sent back as its traceback."""
    # A worker lives for one run: the collector stays off for its whole life (see util.collector).
    try:
        with collector_paused():
            _rounds(pipe, job)
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return  # the parent has stopped (or is stopping) the run
    except BaseException:
        pipe.send(("crash", traceback.format_exc()))
    finally:
        pipe.close()


def _rounds(pipe: Connection, job: _Job) -> None:
    """Round one (match), then, unless told to stop, round two (judge and write) with the parent's year."""
    state = _match(job)
    pipe.send(("ok", state[0]))
    if state[1] is None:
        return
    year, as_of = pipe.recv()
    _write(job, state[1], year, as_of, lambda answer: pipe.send(("ok", answer)))


@dataclass
class _Shard:
    """What a worker keeps between the rounds."""

    statistics: Statistics
    collected: list[tuple[Plan, str, dict[str, TargetData]]]  # as assess.judge takes it
    lines: dict[str, int]  # region -> line of its first row


def _match(job: _Job) -> tuple[_Matched, _Shard | None]:
    """Read the shard, group and match it; the answer, and what round two needs (None: stop)."""
    from ipreport.assessment.engine import latest_year
    from ipreport.assessment.series import RowIndex, collect
    from ipreport.statistics.read import read_statistics

    try:
        statistics = read_statistics(job.stats_path, encoding=job.encoding, shard=job.shard)
    except InputError as exc:
        return _Matched(read_problems=tuple(exc.problems)), None
    index = RowIndex(statistics)
    lines = {region: _first_line(index, region) for region in index.regions}
    collected: list[tuple[Plan, str, dict[str, TargetData]]] = []
    match_problems = []
    for region, line in lines.items():
        problems: list[Problem] = []
        for plan in job.plans:
            try:
                collected.append((plan, region, collect(plan, statistics, region, index)))
            except InputError as exc:
                problems.extend(exc.problems)
        if problems:
            match_problems.append((line, tuple(problems)))
    answer = _Matched(
        regions=tuple((line, region) for region, line in lines.items()),
        match_problems=tuple(match_problems),
        latest=latest_year(data for _, _, data in collected),
        skipped=statistics.warnings,
        unused=_unused(job.plans, statistics, index),
    )
    return answer, _Shard(statistics, collected, lines)


def _write(
    job: _Job, shard: _Shard, year: int, as_of: dt.date, send: Callable[[object], None]
) -> None:
    """Judge the matched regions; send the status counts, then each region's plans as text, in batches."""
    from ipreport.assessment.engine import judge
    from ipreport.render.exports import JsonPlanWriter, csv_plan_rows

    assessment = judge(job.plans, shard.statistics, shard.collected, year=year, as_of=as_of, warnings=())
    send(dict(Counter(row.status for plan in assessment.plans for row in plan.rows)))
    write: Callable[[PlanAssessment], str]
    if job.fmt == "csv":
        write = functools.partial(csv_plan_rows, lang=job.lang)
    else:
        write = JsonPlanWriter(job.lang).plan
    batch: list[tuple[str, ...]] = []
    # A region's plans are next to each other, regions in the order of round one.
    for _, plans in itertools.groupby(assessment.plans, key=lambda plan: plan.region):
        batch.append(tuple(write(plan) for plan in plans))
        if len(batch) == _BATCH_REGIONS:
            send(batch)
            batch = []
    if batch:
        send(batch)


def _line(observation: Observation) -> int:
    """The line of a CSV row: its origin is "file:line"."""
    return int(observation.origin.rsplit(":", 1)[1])


def _first_line(index: RowIndex, region: str) -> int:
    return min(_line(rows[0]) for rows in index.by_region[fold_name(region)].values())


def _unused(
    plans: Sequence[Plan], statistics: Statistics, index: RowIndex
) -> tuple[tuple[str, int, str], ...]:
    """(folded indicator, line of its first row here, warning) for each indicator no target uses."""
    from ipreport.assessment.series import unused_indicator_rows

    unused = unused_indicator_rows(plans, statistics, index)
    return tuple((key, _line(row), warning) for key, row, warning in unused)
