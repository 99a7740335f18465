"""Every region of a statistics file at once: gap tables, a summary across regions, one report each."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ipreport.errors import InputError, OptionError
from ipreport.model import Assessment, Status
from ipreport.regions.output import RegionsOutput
from ipreport.util.collector import collector_paused
from ipreport.util.signals import worker_signals
from ipreport.util.visible import visible

if TYPE_CHECKING:
    from ipreport.assessment.columnar import ColumnarRegions

REGION_LABEL = ("地区", "Region")
TOTAL_LABEL = ("合计", "Total")


@dataclass(frozen=True)
class RegionReport:
    """One written report of a run over every region."""

    region: str
    path: Path


def assess_files_each_region(
    plan_refs: Sequence[str],
    stats_path: str | Path,
    *,
    year: int | None = None,
    as_of: str | None = None,
    encoding: str | None = None,
) -> Assessment:
    """Read plans and statistics once and assess every plan for every region of the statistics."""
    from ipreport.assessment.engine import assess_regions
    from ipreport.inputs import read_for_assessment

    plans, statistics, as_of_date = read_for_assessment(plan_refs, stats_path, year, as_of, encoding)
    assert statistics is not None  # a path was given
    with collector_paused():
        return assess_regions(plans, statistics, year=year, as_of=as_of_date)


def capped_workers(asked: int | None) -> int:
    """The processes to start: as many as asked (default: one per core), never more than the cores.

    More processes than cores only share the same cores; --jobs 100000 would start 100,000 of them.
    """
    cores = default_workers()
    return cores if asked is None else max(1, min(asked, cores))


def default_workers() -> int:
    """Worker processes for a run over every region: one per core this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def split_regions(assessment: Assessment) -> list[Assessment]:
    """One assessment per region (its plans only), in the order the regions first appear."""
    by_region: dict[str, list] = {}
    for plan_assessment in assessment.plans:
        by_region.setdefault(plan_assessment.region, []).append(plan_assessment)
    return [dataclasses.replace(assessment, plans=tuple(plans)) for plans in by_region.values()]


def status_counts(assessment: Assessment) -> dict[str, dict[Status, int]]:
    """Region -> how many rows have each status, over all of the region's plans."""
    counts: dict[str, dict[Status, int]] = {}
    for plan_assessment in assessment.plans:
        region = counts.setdefault(plan_assessment.region, {})
        for row in plan_assessment.rows:
            region[row.status] = region.get(row.status, 0) + 1
    return counts


def render_region_summary(assessment: Assessment, *, lang: str = "zh", width: int = 80) -> str:
    """Region × number of rows per status (only statuses that occur), CJK-aligned within ``width``."""
    counts = status_counts(assessment)
    present = [s for s in Status if any(s in region for region in counts.values())]
    return _summary_table(counts, present, lang, width, total=True) + "\n"


def _summary_table(
    counts: dict[str, dict[Status, int]], statuses: list[Status], lang: str, width: int, total: bool
) -> str:
    from ipreport.render.labels import status_label
    from ipreport.render.table import tabulate  # with the gap table's settings (no extra padding)

    index = 0 if lang == "zh" else 1
    body = [
        [visible(region), *(str(found.get(s, 0)) for s in statuses),
         *([str(sum(found.values()))] if total else [])]
        for region, found in counts.items()
    ]
    labels = [status_label(s, lang) for s in statuses]
    table = ""
    # Status words are long next to their numbers: wrap the headers until the table fits.
    for header_width in (12, 8, 6):
        wrapped = (_header(text, header_width) for text in labels)
        headers = [REGION_LABEL[index], *wrapped, *([TOTAL_LABEL[index]] if total else [])]
        table = tabulate(
            body,
            headers=headers,
            tablefmt="simple",
            disable_numparse=True,
            colalign=("left", *("right" for _ in range(len(headers) - 1))),
        )
        if _display_width(table) <= width:
            return table
    if len(statuses) < 2:
        return table
    # Still too wide (long English words, many statuses): two tables, the second with the total.
    half = (len(statuses) + 1) // 2
    first = _summary_table(counts, statuses[:half], lang, width, total=False)
    return first + "\n\n" + _summary_table(counts, statuses[half:], lang, width, total=total)


def _header(text: str, limit: int) -> str:
    """A status word on one line if it fits ``limit``, else on two lines of about half its width."""
    from ipreport.render.table import wrap
    from ipreport.util.display_width import display_width as wcswidth

    width = wcswidth(text)
    if width <= limit:
        return text
    # Latin words are not broken (Chinese text may break between any two characters).
    longest_word = max((len(word) for word in re.findall(r"[0-9A-Za-z]+", text)), default=0)
    half = (width + 1) // 2
    return wrap(text, max(longest_word, half + half % 2))


def _display_width(table: str) -> int:
    from ipreport.util.display_width import display_width as wcswidth

    return max((wcswidth(line) for line in table.splitlines()), default=0)


def each_region_chunks(
    assessment: Assessment, fmt: str, *, lang: str, color: bool = False, width: int = 80
) -> Iterator[str]:
    """`gaps --each-region`: the usual output with every region's plans, a table ending with the summary.

    In pieces to write as they come: JSON one plan and region at a time.
    """
    from ipreport.render.gap_formats import render_gaps

    if fmt == "json":
        from ipreport.render.exports import json_chunks

        yield from json_chunks(assessment, lang=lang)
        return
    text = render_gaps(assessment, fmt, lang=lang, color=color, width=width)
    if fmt == "table":
        text += "\n" + render_region_summary(assessment, lang=lang, width=width)
    yield text


def each_region_output(
    plan_refs: Sequence[str],
    stats_path: str | Path,
    fmt: str,
    *,
    lang: str,
    year: int | None = None,
    as_of: str | None = None,
    encoding: str | None = None,
    jobs: int | None = None,
    color: bool = False,
    width: int = 80,
) -> RegionsOutput:
    """`gaps --each-region`: every plan for every region, in ``fmt``.

    JSON or CSV from a big CSV file goes through the columnar engine when polars is installed (the
    ``fast`` extra, see ``columnar_output``); the output is the same bytes either way. ``jobs`` is
    accepted for the command line's sake: one process does the work (see README, Performance).
    """
    fast = columnar_output(plan_refs, stats_path, fmt, lang=lang, year=year, as_of=as_of, encoding=encoding)
    if fast is not None:
        return fast
    assessment = assess_files_each_region(plan_refs, stats_path, year=year, as_of=as_of, encoding=encoding)
    return RegionsOutput(
        assessment.warnings, each_region_chunks(assessment, fmt, lang=lang, color=color, width=width)
    )


# Below this size the Python path is quicker: polars' import and the engine's two passes over the
# file cost more than they save. bench/columnar_threshold.py on 2 shared cores (load 3.6-4): Python
# path / engine 0.67 at 0.43 MB, 0.79 at 0.85 MB, 0.89 at 1.7 MB, 0.86 at 3.4 MB, 1.08 at 6.8 MB.
MIN_COLUMNAR_BYTES = 8_000_000
COLUMNAR_FORMATS = ("json", "csv")


def columnar_output(
    plan_refs: Sequence[str],
    stats_path: str | Path,
    fmt: str,
    *,
    lang: str,
    year: int | None = None,
    as_of: str | None = None,
    encoding: str | None = None,
    min_bytes: int | None = None,
) -> RegionsOutput | None:
    """The output of the columnar engine, or None where the Python path is to run instead.

    None for a small file, another format, a file the columnar reader does not take, plans that do
    not load and series with a problem: the Python path then runs and words every problem.
    """
    from ipreport.statistics.columnar import polars_available, read_plain_long

    limit = MIN_COLUMNAR_BYTES if min_bytes is None else min_bytes
    path = Path(stats_path)
    try:
        if fmt not in COLUMNAR_FORMATS or path.stat().st_size < limit or not polars_available():
            return None
    except OSError:
        return None
    from ipreport.assessment.columnar import columnar_regions
    from ipreport.inputs import check_year, parse_as_of
    from ipreport.plans.load import load_plans

    as_of_date = parse_as_of(as_of)
    try:
        plans = load_plans(plan_refs)
    except InputError:
        return None
    if not plans:
        return None
    rows = read_plain_long(path, encoding)
    if rows is None:
        return None
    check_year(plans, year)
    prepared = columnar_regions(plans, rows.path, rows.frame, rows.warnings, year=year, as_of=as_of_date)
    if prepared is None:
        return None
    return RegionsOutput(prepared.warnings, _columnar_chunks(prepared, fmt, lang))


def _columnar_chunks(prepared: ColumnarRegions, fmt: str, lang: str) -> Iterator[str | bytes]:
    """The pieces of ``each_region_chunks`` from the engine's batches of regions (text, or UTF-8
    bytes: see ``RegionsOutput``).

    JSON starts with the count of rows per status: every batch is judged before the first piece,
    and only the judged columns are kept, not the rows.
    """
    from ipreport.render.exports import JsonPlanWriter, csv_head, csv_plan_rows, json_head, json_tail

    if fmt == "csv":
        yield csv_head()
        for batch in prepared.batches():
            yield "".join(csv_plan_rows(plan, lang) for plan in batch.plans)
        return
    from ipreport.regions.columnar_json import json_plans

    writer = JsonPlanWriter(lang)
    with collector_paused():
        counts, texts = json_plans(prepared, writer)
    meta = Assessment(
        plans=(), year=prepared.year, as_of=prepared.as_of, statistics=prepared.statistics.path,
        warnings=prepared.warnings,
    )
    yield json_head(meta, counts)
    yield from texts
    yield json_tail(meta, bool(prepared.regions) and bool(prepared.plans))


def report_paths(
    regions: Sequence[Assessment], out_dir: Path, *, fmt: str | None, template: Path | None, lang: str
) -> list[Path]:
    """Each region's report name, as `report` would choose it, inside ``out_dir``."""
    from ipreport.render.report.write import report_path_in

    paths = [
        report_path_in(out_dir, one, fmt=fmt, lang=lang, title=None, template=template) for one in regions
    ]
    seen: dict[Path, str] = {}
    for path, region in zip(paths, regions, strict=True):
        name = region.plans[0].region
        if path in seen:
            raise OptionError(
                "--each-region", f'regions "{seen[path]}" and "{name}" would both be written to {path}'
            )
        seen[path] = name
    return paths


def write_region_reports(
    assessment: Assessment,
    out_dir: Path,
    *,
    fmt: str | None = None,
    template: Path | None = None,
    charts: bool = True,
    lang: str = "zh",
    written: dt.date | None = None,
    workers: int | None = None,
    force: bool = False,
    date: dt.date | None = None,
    finished: list[RegionReport] | None = None,
) -> Generator[RegionReport, None, None]:
    """Write one report per region into ``out_dir``, on ``workers`` processes (default: every core).

    Yields each report as it is finished, so that a caller can show progress; the first failing
    region stops the run (reports already written stay). ``date`` is every report's 成文日期; each
    is signed by its own region's office. Each finished report is also added to ``finished``:
    closing the generator early (Ctrl-C) hands out no more regions but lets the reports being
    written finish, and those are added there too, so the caller can say what exists.
    """
    finished = finished if finished is not None else []
    regions = split_regions(assessment)
    paths = report_paths(regions, out_dir, fmt=fmt, template=template, lang=lang)
    if not force:
        from ipreport.render.report.fingerprint import refuse_edited

        for path in paths:  # all before the first is written: a run stops whole or not at all
            refuse_edited(path, "another --out-dir")
    jobs = [
        _Job(region, path, fmt, template, charts, lang, written, force, date)
        for region, path in zip(regions, paths, strict=True)
    ]
    workers = min(capped_workers(workers), len(jobs))
    if workers <= 1:
        for job in jobs:
            finished.append(_write_one(job))
            yield finished[-1]
        return
    # Workers leave Ctrl-C to this process, which stops handing out regions (see worker_signals).
    with ProcessPoolExecutor(max_workers=workers, initializer=worker_signals) as pool:
        pending: set[Future[RegionReport]] = {pool.submit(_write_one, job) for job in jobs}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    finished.append(future.result())
                    yield finished[-1]
        finally:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True)
            finished.extend(
                future.result() for future in pending
                if future.done() and not future.cancelled() and future.exception() is None
            )


@dataclass(frozen=True)
class _Job:
    """What a worker process needs to write one region's report (sent by pickling)."""

    assessment: Assessment
    out: Path
    fmt: str | None
    template: Path | None
    charts: bool
    lang: str
    written: dt.date | None
    force: bool = False
    date: dt.date | None = None


def _write_one(job: _Job) -> RegionReport:
    from ipreport.render.report.write import write_report

    path = write_report(
        job.assessment,
        out=job.out,
        fmt=job.fmt,
        template=job.template,
        charts=job.charts,
        lang=job.lang,
        written=job.written,
        force=job.force,
        date=job.date,
    )
    return RegionReport(job.assessment.plans[0].region, path)
