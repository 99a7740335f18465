"""Dates in the offices' calendar: year ends, today in Shanghai, the date of writing."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from ipreport.errors import OptionError
from ipreport.util.clock import report_date, today, year_end


def test_year_end_is_the_last_day_of_the_year():
    assert year_end(2023) == dt.date(2023, 12, 31)
    assert type(year_end(2023)) is dt.date


def test_today_is_shanghai_s_date(monkeypatch: pytest.MonkeyPatch):
    # 16:30 UTC on 1 March is already 2 March in Shanghai.
    late_evening_utc = pendulum.datetime(2021, 3, 1, 16, 30, tz="UTC")
    monkeypatch.setattr(pendulum, "today", lambda tz: late_evening_utc.in_timezone(tz).start_of("day"))
    assert today() == dt.date(2021, 3, 2)


def test_report_date_prefers_the_given_date_then_source_date_epoch(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1614556800")  # 2021-03-01 00:00 UTC = 08:00 in Shanghai
    assert report_date(dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
    assert report_date() == dt.date(2021, 3, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert report_date() == today()


@pytest.mark.parametrize("epoch", ["253402300800", "9" * 5000])
def test_a_source_date_epoch_past_9999_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, epoch: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(OptionError) as caught:
        report_date()
    shown = epoch if len(epoch) <= 20 else epoch[:20] + "…"
    assert str(caught.value) == (
        f'SOURCE_DATE_EPOCH: expected seconds since 1970 up to 253402271999 (9999-12-31 in Shanghai), found "{shown}"'
    )


def test_the_last_source_date_epoch_is_the_last_day_of_9999(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402271999")
    assert report_date() == dt.date(9999, 12, 31)


def test_a_gaps_run_does_not_import_pendulum_when_no_clock_is_read():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; from ipreport.cli import main; sys.argv = ['ipreport', 'gaps', 'jilin-2016', '--stats', "
        f"{str(root / 'examples' / 'jilin' / 'statistics.csv')!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('pendulum' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_year_end_is_the_31st_of_december():
    assert year_end(2023) == dt.date(2023, 12, 31)
