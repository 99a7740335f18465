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
