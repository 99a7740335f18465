"""Errors keep their shape when they cross a process boundary (report --each-region workers)."""

from __future__ import annotations

import pickle

from ipreport.errors import InputError, OptionError, Problem


def test_option_error_survives_pickling():
    error = pickle.loads(pickle.dumps(OptionError("--output", '"x" is a folder')))
    assert (type(error), error.option, error.detail, str(error)) == (
        OptionError, "--output", '"x" is a folder', '--output: "x" is a folder'
    )


def test_input_error_survives_pickling():
    problems = [Problem("a.toml", "expected a year, found \"x\"", line=3, key="plan.start_year")]
    error = pickle.loads(pickle.dumps(InputError(problems)))
    assert error.problems == problems
    assert str(error) == 'a.toml:3: plan.start_year: expected a year, found "x"'


def test_a_long_quotation_from_an_input_is_cut_in_the_printed_message(tmp_path):
    from click.testing import CliRunner

    from ipreport.cli import cli

    stats = tmp_path / "long.csv"
    stats.write_text("x" * 5000 + ",y,z\na,b,c\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "jilin-2016", "--stats", str(stats)])
    assert result.exit_code == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith(f'Error: {stats}:1: cannot tell the layout from the header "{"x" * 80}…" (5,000 characters), "y"')
    assert len(result.stderr) < 600
