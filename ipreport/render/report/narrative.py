"""The office's own text for the report: a Markdown file whose sections replace or extend the drafts.

The file (``--narrative``, or ``narrative`` in ipreport.toml) holds headings naming sections and the
paragraphs under them, blank lines between paragraphs::

    # 主要工作成效
    全年新增国家知识产权示范企业12家……

    # 存在的问题（补充）
    知识产权服务业规模偏小……

A heading that ends with （补充） or "(补充)" adds its paragraphs after the drafted ones; any other
replaces them. The sections are those of docs/templates.md (总体情况, 主要工作成效, 存在的问题, 下一步工作).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ipreport.errors import InputError, Problem
from ipreport.util.decoding import decode
from ipreport.util.input_files import read_input

MAX_BYTES = 1024 * 1024
# Section key -> the headings that name it (Chinese, and English for --lang en offices).
SECTIONS: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况", "overview"),
    "achievements": ("主要工作成效", "achievements"),
    "problems": ("存在的问题", "problems"),
    "next_steps": ("下一步工作", "next steps"),
}
_EXTEND = re.compile(r"\s*[（(]\s*(补充|extend)\s*[)）]\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s*(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Section:
    paragraphs: tuple[str, ...]
    extend: bool  # True: after the drafted text; False: instead of it


@dataclass(frozen=True)
class Narrative:
    sections: dict[str, Section] = field(default_factory=dict)

    def apply(self, key: str, drafted: list[str]) -> list[str]:
        """The paragraphs of section ``key``: the drafted ones, replaced or extended by the office's."""
        section = self.sections.get(key)
        if section is None:
            return list(drafted)
        return [*drafted, *section.paragraphs] if section.extend else list(section.paragraphs)


def _section_key(title: str) -> str | None:
    folded = title.strip().lower()
    return next((key for key, names in SECTIONS.items() if folded in names), None)


def parse_narrative(text: str, file: str) -> Narrative:
    """The sections of a narrative file's text; InputError naming the line for anything else."""
    sections: dict[str, Section] = {}
    current: tuple[str, bool, int] | None = None
    paragraphs: list[str] = []
    block: list[str] = []
    problems: list[Problem] = []
    seen_heading = text_first = False
    known = "、".join(names[0] for names in SECTIONS.values())

    def close_block() -> None:
        if block:
            paragraphs.append("".join(line.strip() for line in block))
            block.clear()

    def close_section() -> None:
        close_block()
        if current is None:
            return
        key, extend, line = current
        if not paragraphs:
            problems.append(
                Problem(file, f"expected paragraphs under the heading, found none ({key})", line=line)
            )
        sections[key] = Section(tuple(paragraphs), extend)
        paragraphs.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        heading = _HEADING.match(line)
        if heading:
            seen_heading = True
            close_section()
            title = heading.group(1)
            extend = bool(_EXTEND.search(title))
            key = _section_key(_EXTEND.sub("", title))
            if key is None:
                problems.append(
                    Problem(file, f'expected a section heading ({known}), found "{title}"', line=number)
                )
                current = None
                continue
            if key in sections:
                problems.append(Problem(file, f'the section "{title}" appears twice', line=number))
            current = (key, extend, number)
        elif not line.strip():
            close_block()
        elif current is None:
            if not seen_heading and not text_first:
                text_first = True
                problems.append(
                    Problem(
                        file,
                        "expected a heading such as # 存在的问题 before the text, "
                        f'found "{line.strip()[:20]}"',
                        line=number,
                    )
                )
        else:
            block.append(line)
    close_section()
    if problems:
        raise InputError(problems)
    return Narrative(sections)


def read_narrative(path: str | Path) -> Narrative:
    """Read and parse a narrative file (UTF-8, or GB18030 as Windows offices save it)."""
    data = read_input(path, MAX_BYTES, "narrative file")
    text, _ = decode(data, path, None)
    return parse_narrative(text, str(path))
