"""What counts as English in a line of the Chinese interface (tests of the interface language)."""

from __future__ import annotations

import re

# What may stay Latin in a Chinese line: what the user types or reads off a file.
_MACHINE = re.compile(r"""
    \[[^\]]*\]                                   # choices and usage words: [zh|en], [OPTIONS]
  | `[^`]*`                                      # code
  | (?<![\w])--?[A-Za-z][\w-]*                   # option names
  | [^\s，。；：（）“”、]*[/.][^\s，。；：（）“”、]*   # file names and paths
  | \b[a-z0-9]+(?:-[a-z0-9]+)+\b                 # plan and target ids (jilin-2016), stats-template
  | \b[A-Z][A-Z0-9_]+\b                          # metavars and variables (PLAN, FILE, IPREPORT_LANG)
  | \b\w+_\w+\b                                  # keys and status names (ui_lang, on_track)
  | (?<=行\s)[A-Za-z_][\w.\[\]]*(?=：)              # the key after a line number: 第3行 target[1].min：
  | “[^”]*” | "[^"]*" | '[^']*'                  # quotations of what the user wrote (values, keys, names)
  | \b(?i:utf|gb|gbk|big)-?\d*\b                 # encoding names (utf-8, gb18030, Big5)
  | \b0x[0-9A-Fa-f]+\b                            # bytes
  | \b[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?\b          # cells and ranges (C3, A1:XFD5000)
""", re.X)
# Product and format names, commands, and the values options take (status names for --fail-on).
_NAMES = {
    "ipreport", "Word", "WPS", "Excel", "Markdown", "HTML", "PDF", "CSV", "TOML", "JSON", "LibreOffice",
    "JUnit", "gaps", "report", "check", "validate", "init", "plans", "extract", "list", "show", "table",
    "json", "csv", "markdown", "xlsx", "docx", "pdf", "md", "html", "txt", "zh", "en", "achieved", "missed",
    "ahead", "accelerate", "behind", "regressing", "done", "overdue", "ongoing",
    "region", "indicator", "year", "value",  # the statistics file's column names
    "mini", "platform",  # the ids of the test plan (tests/fixtures/cli/mini.toml) and one of its targets
    "ok", "pledge",  # the bad-input corpus's plan id (tests/fixtures/bad/ok.toml) and one of its targets
    "true", "false",  # the values of a flag in a plan file
    # plan-file keys and values, written as they are in the file: kind = "milestone", min, max, nan
    "target", "kind", "level", "growth", "range", "trend", "milestone", "min", "max", "nan", "id",
    "GBK", "zip",  # an encoding and a file type, named as the user's tools name them
}


def english_words(line: str) -> list[str]:
    return [word for word in re.findall(r"[A-Za-z]{2,}", _MACHINE.sub(" ", line)) if word not in _NAMES]
