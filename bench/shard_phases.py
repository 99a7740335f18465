"""Where one worker of `gaps --each-region` spends its time: CPU seconds per phase, in this process.

    python bench/shard_phases.py [--data DIR] [--workers 2] [--runs 3]

Runs worker 1 of ``--workers``'s work on the national set (bench/make_national.py) phase by phase,
as ipreport.regions.shards runs it, and prints the best of ``--runs`` runs of each phase (time.process_time).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipreport.assessment.engine import judge, latest_year
from ipreport.assessment.series import RowIndex, collect
from ipreport.plans.load import load_plans
from ipreport.render.exports import JsonPlanWriter
from ipreport.statistics.read import Shard, read_statistics

HERE = Path(__file__).resolve().parent


def best_of(runs: int, phase: Callable[[], Any]) -> tuple[float, Any]:
    timings, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = phase()
        timings.append(time.process_time() - start)
    return min(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    plans = load_plans([str(options.data / "national-plan.toml")])
    stats = options.data / "national.csv"
    gc.disable()  # as the workers run
    shard = Shard(0, options.workers)
    others = Shard(0, 10**6)  # keeps next to no region: what the other workers' rows cost alone
    skipping, _ = best_of(options.runs, lambda: read_statistics(stats, shard=others))
    reading, statistics = best_of(options.runs, lambda: read_statistics(stats, shard=shard))

    def matching() -> list[Any]:
        index = RowIndex(statistics)
        return [(plan, region, collect(plan, statistics, region, index)) for region in index.regions
                for plan in plans]

    matched, collected = best_of(options.runs, matching)
    year = latest_year(data for _, _, data in collected)
    judging, assessment = best_of(
        options.runs, lambda: judge(plans, statistics, collected, year=year, as_of=None, warnings=())
    )

    def writing_json() -> list[str]:
        writer = JsonPlanWriter("zh")  # one for all regions, as a worker has
        return [writer.plan(plan) for plan in assessment.plans]

    writing, _ = best_of(options.runs, writing_json)
    print(f"worker 1 of {options.workers}: {len(statistics.observations):,} rows, "
          f"{len(assessment.plans):,} regions")
    for name, seconds in (("reading (all of it)", reading), ("  of which other workers' rows", skipping),
                          ("matching", matched), ("judging", judging), ("writing JSON", writing)):
        print(f"{name:32} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
