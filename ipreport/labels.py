"""Words shown to readers, in Chinese (default) and English."""

from __future__ import annotations

from ipreport.model import Status

LANGS = ("zh", "en")

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.ACHIEVED: ("已实现", "achieved"),
    Status.MISSED: ("未实现", "missed"),
    Status.AHEAD: ("快于预期", "ahead of schedule"),
    Status.ON_TRACK: ("基本符合预期", "on track"),
    Status.ACCELERATE: ("需加快推进", "needs to accelerate"),
    Status.BEHIND: ("滞后预期", "behind schedule"),
    Status.REGRESSING: ("逆向变化", "moving away"),
    Status.NO_DATA: ("无数据", "no data"),
    Status.INSUFFICIENT_DATA: ("数据不足", "insufficient data"),
    Status.DONE: ("已完成", "done"),
    Status.IN_PROGRESS: ("推进中", "in progress"),
    Status.NOT_STARTED: ("未启动", "not started"),
    Status.OVERDUE: ("逾期未完成", "overdue"),
    Status.ONGOING: ("持续推进", "ongoing"),
}
# "achieved" before the target year reads 提前实现 (achieved early).
ACHIEVED_EARLY = ("提前实现", "achieved early")


def status_label(status: Status, lang: str = "zh", early: bool = False) -> str:
    """The reader's word for a status; ``early`` marks an achievement before the target year."""
    index = LANGS.index(lang)
    if status is Status.ACHIEVED and early:
        return ACHIEVED_EARLY[index]
    return STATUS_LABELS[status][index]
