import subprocess
import sys

from apps.engine.rng import derive_seed, substream
from tests.engine.helpers import ROOT


def test_substreams_are_stable_across_processes():
    code = "from apps.engine.rng import derive_seed; print(derive_seed(42, 'node:api-1'))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(h), "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
        ).stdout.strip()
        for h in (0, 1, 2)
    }
    assert outs == {str(derive_seed(42, "node:api-1"))}


def test_substreams_differ_by_seed_and_name():
    a = substream(1, "node:a").random()
    assert a == substream(1, "node:a").random()
    assert a != substream(2, "node:a").random()
    assert a != substream(1, "node:b").random()
