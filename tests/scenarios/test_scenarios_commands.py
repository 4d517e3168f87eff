"""The `simulate` and `templates` management commands (CONTRACT section 1), as scripts run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.engine import parse_scenario

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_simulate_prints_the_result_json_and_exits_0(tmp_path, scenario_data):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_data))
    out = _manage("simulate", str(path), "--seed", "3", "--duration", "1", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["format"] == "topolab.result/1"
    assert result["seed"] == 3
    assert result["sim_time_s"] == 1.0


def test_simulate_is_deterministic_but_for_wall_time(tmp_path, scenario_data):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_data))
    runs = []
    for _ in range(2):
        stdout = StringIO()
        call_command("simulate", str(path), "--json", stdout=stdout)
        result = json.loads(stdout.getvalue())
        result.pop("wall_s")
        runs.append(result)
    assert runs[0] == runs[1]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read"),
        ("{broken", "invalid JSON"),
        ('{"format": "topolab/1", "nodes": []}', "invalid scenario"),
    ],
)
def test_simulate_exits_2_with_one_line_on_stderr(tmp_path, content, fragment):
    path = tmp_path / "s.json"
    if content is not None:
        path.write_text(content)
    out = _manage("simulate", str(path), "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert fragment in lines[0]


def test_simulate_rejects_a_bad_override(tmp_path, scenario_data):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_data))
    with pytest.raises(CommandError) as raised:
        call_command("simulate", str(path), "--duration", "-1", "--json")
    assert raised.value.returncode == 2


def test_templates_lists_names_and_as_json():
    stdout = StringIO()
    call_command("templates", "--json", stdout=stdout)
    listing = json.loads(stdout.getvalue())
    assert {"client-server", "three-services-chain"} <= {t["name"] for t in listing}
    assert all(set(t) == {"name", "title", "description"} for t in listing)
    plain = StringIO()
    call_command("templates", stdout=plain)
    assert "client-server" in plain.getvalue()


def test_templates_name_prints_a_valid_scenario_that_simulate_accepts(tmp_path):
    out = _manage("templates", "client-server")
    assert out.returncode == 0, out.stderr
    scenario = json.loads(out.stdout)
    parse_scenario(scenario)
    path = tmp_path / "cs.json"
    path.write_text(out.stdout)
    assert _manage("simulate", str(path), "--duration", "2", "--json").returncode == 0


def test_unknown_template_exits_2():
    out = _manage("templates", "no-such-template")
    assert out.returncode == 2
    assert "no-such-template" in out.stderr
