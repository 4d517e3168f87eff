"""Key popularity: uniform and Zipf draws follow their distributions; requests carry a Req."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from apps.engine.kinds.base import Call, Node, Req
from apps.engine.workload import KeySampler


def test_uniform_keys_cover_the_space_evenly():
    sampler = KeySampler(10, "uniform", 1.0, random.Random(1).random)
    counts = Counter(sampler.draw() for _ in range(50_000))
    assert sorted(counts) == list(range(10))
    assert max(counts.values()) / min(counts.values()) < 1.1


@pytest.mark.parametrize("s", [0.8, 1.0, 1.2])
def test_zipf_frequencies_match_the_power_law(s):
    n, draws = 1000, 200_000
    sampler = KeySampler(n, "zipf", s, random.Random(2).random)
    counts = Counter(sampler.draw() for _ in range(draws))
    harmonic = sum(1 / (k + 1) ** s for k in range(n))
    for key in (0, 1, 9):
        expected = draws / (key + 1) ** s / harmonic
        assert counts[key] == pytest.approx(expected, rel=0.05)
        assert sampler.probability(key) == pytest.approx(expected / draws, rel=1e-9)
    assert all(0 <= k < n for k in counts)


def test_requests_carry_op_key_and_session_through_the_client():
    from apps.engine.scenario import parse_scenario
    from apps.engine.simulate import build_world

    scenario = parse_scenario({
        "format": "topolab/1", "name": "mix",
        "nodes": [
            {"id": "c", "kind": "client", "params": {"rate_rps": 1000, "read_ratio": 0.75,
                                                      "keys": 50, "key_dist": "zipf"}},
            {"id": "s", "kind": "service", "params": {"workers": 8, "service_time_ms": 1}},
        ],
        "edges": [{"id": "e", "source": "c", "target": "s"}],
        "settings": {"duration_s": 5, "seed": 3},
    })  # fmt: skip
    world = build_world(scenario, 3, 5.0, False)
    seen: list[Req] = []

    class Spy(Node):
        KIND = "spy"

        def on_request(self, call: Call) -> None:
            seen.append(call.req)
            self.reply(call, True)

    spy = Spy(world, scenario.nodes[1], 1)
    spy.net = world.net
    world.links[0].dst = spy
    world.kernel.run(5.0)
    assert len(seen) > 4000
    writes = sum(r.op == Req.WRITE for r in seen) / len(seen)
    assert writes == pytest.approx(0.25, abs=0.03)
    assert len({r.id for r in seen}) == len(seen)
    assert Counter(r.key for r in seen).most_common(1)[0][0] == 0
    assert world.nodes[0].result(5.0)["completed"] == len(seen)
