"""Dates in the offices' own calendar (Asia/Shanghai): today, year ends, the date of writing."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pendulum

TIMEZONE = "Asia/Shanghai"


def _plain(day: pendulum.Date) -> dt.date:
    return dt.date(day.year, day.month, day.day)


def today() -> dt.date:
    """Today in Shanghai, whatever the machine's own time zone."""
    import pendulum  # on demand: importing it costs a gaps run a tenth of its time

    return _plain(pendulum.today(TIMEZONE).date())


def year_end(year: int) -> dt.date:
    """31 December of ``year``: the default as-of date of an assessment.

    A calendar date, the same in every time zone: no clock is read, so pendulum is not needed.
    """
    return dt.date(year, 12, 31)


def report_date(given: dt.date | None = None) -> dt.date:
    """The date a report is written on: given, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        if len(epoch) > len(str(LAST_EPOCH)) or int(epoch) > LAST_EPOCH:
            from ipreport.errors import OptionError

            shown = epoch if len(epoch) <= 20 else epoch[:20] + "…"
            raise OptionError(
                "SOURCE_DATE_EPOCH",
                f'expected seconds since 1970 up to {LAST_EPOCH} (9999-12-31 in Shanghai), found "{shown}"',
            )
        import pendulum

        return _plain(pendulum.from_timestamp(int(epoch), tz=TIMEZONE).date())
    return today()


# 9999-12-31 23:59:59 in Shanghai (UTC+8): the last moment a date can hold.
LAST_EPOCH = 253402300799 - 8 * 3600
