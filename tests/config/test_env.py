"""config.env: typed reads with defaults, loud failures on bad values."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import Env


def test_defaults_apply_to_unset_and_empty_variables():
    env = Env({"EMPTY": "  "})
    assert env.str("MISSING", "d") == "d"
    assert env.bool("EMPTY", True) is True
    assert env.int("MISSING", 3) == 3
    assert env.float("MISSING", 0.5) == 0.5
    assert env.list("MISSING", ["a"]) == ["a"]


def test_values_are_parsed():
    env = Env({"B": "Off", "I": "42", "F": "2.5", "L": "a, b,,c ", "S": " x "})
    assert env.bool("B") is False
    assert env.int("I") == 42
    assert env.float("F") == 2.5
    assert env.list("L") == ["a", "b", "c"]
    assert env.str("S") == "x"


@pytest.mark.parametrize(
    ("environ", "read"),
    [
        ({}, lambda e: e.str("REQUIRED")),
        ({"B": "flase"}, lambda e: e.bool("B")),
        ({"I": "4.5"}, lambda e: e.int("I")),
        ({"I": "0"}, lambda e: e.int("I", minimum=1)),
        ({"F": "nan"}, lambda e: e.float("F")),
        ({"F": "fast"}, lambda e: e.float("F")),
    ],
)
def test_bad_or_missing_values_fail_loudly(environ, read):
    with pytest.raises(ImproperlyConfigured):
        read(Env(environ))
