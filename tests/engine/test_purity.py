"""The engine is a library: no Django, no Redis, no global randomness, no wall clock."""

import ast
import json
import random
import subprocess
import sys

from apps.engine import simulate
from tests.engine.helpers import ROOT, mmc_scenario

ENGINE = ROOT / "apps" / "engine"
FORBIDDEN = ("django", "channels", "celery", "redis", "daphne", "kombu")


def test_fresh_interpreter_loads_no_web_stack():
    code = f"""
import json, sys
from apps.engine import parse_scenario, simulate
from tests.engine.helpers import mmc_scenario
frames = []
simulate(parse_scenario(mmc_scenario(50, 2, 10, 5, warmup_s=0)), emit=frames.append)
bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})
print(json.dumps({{"bad": bad, "frames": len(frames)}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
    ).stdout
    report = json.loads(out)
    assert report["bad"] == []
    assert report["frames"] > 0


def test_simulate_leaves_the_global_random_state_alone():
    state = random.getstate()
    simulate(mmc_scenario(50, 2, 10, 5, warmup_s=0))
    assert random.getstate() == state


def imports_and_calls(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (("import", a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("import", node.module or "")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            yield ("attr", f"{node.value.id}.{node.attr}")


def test_no_module_level_random_no_wall_clock_no_hash():
    files = sorted(ENGINE.rglob("*.py"))
    assert len(files) >= 10
    for path in files:
        for what, name in imports_and_calls(path):
            rel = path.relative_to(ROOT)
            assert name.split(".")[0] not in FORBIDDEN, (rel, name)
            if what == "attr" and name.startswith("random."):
                assert name == "random.Random", (rel, name)
            if what == "attr" and name.startswith(("time.", "datetime.")):
                assert (rel.name, name) == ("simulate.py", "time.perf_counter"), (rel, name)
        calls = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)]
        assert not [c for c in calls if isinstance(c.func, ast.Name) and c.func.id == "hash"]


def test_modules_open_with_a_docstring_and_stay_small():
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), path
        assert len(path.read_text().splitlines()) <= 420, path
