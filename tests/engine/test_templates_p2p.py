"""The peer-to-peer gallery templates validate, run with their own seed and show their point."""

import json
import math
from collections import deque

import pytest

from apps.engine import parse_scenario, simulate
from apps.engine.simulate import build_world
from tests.engine.helpers import ROOT

TEMPLATES = ROOT / "apps" / "scenarios" / "templates_data"


def load(name):
    data = json.loads((TEMPLATES / f"{name}.json").read_text())
    meta = data.pop("meta")
    assert meta["title"]
    assert meta["description"]
    return data


def run(data, **kw):
    return simulate(parse_scenario(data), **kw)["protocols"]


def test_flooding_template_matches_bfs_on_the_drawn_graph():
    data = load("p2p-flooding")
    s = data["settings"]
    world = build_world(parse_scenario(data), s["seed"], s["duration_s"], False)
    world.kernel.run(s["duration_s"])
    fl = world.nodes[0].ov
    assert len(fl.q_origin) > 400
    ttl = data["nodes"][0]["params"]["ttl"]
    for o, msgs, reach in zip(fl.q_origin, fl.q_msgs, fl.q_reach, strict=True):
        dist, todo = {o: 0}, deque([o])
        while todo:
            x = todo.popleft()
            for y in fl.adj[x]:
                if y not in dist:
                    dist[y] = dist[x] + 1
                    todo.append(y)
        assert reach == sum(1 for h in dist.values() if h <= ttl)
        assert msgs == len(fl.adj[o]) + sum(
            len(fl.adj[v]) - 1 for v, h in dist.items() if 0 < h < ttl
        )
    r = run(data)["flooding"]
    assert r["messages_per_query"] > r["reach"]["mean"]  # duplicates on a graph with cycles


def test_chord_template_hops_near_half_log2_n_and_all_lookups_correct():
    r = run(load("p2p-chord-ring"))["chord"]
    assert r["lookups"] > 5000
    assert r["wrong"] == 0
    assert r["failed"] == 0
    assert abs(r["hops"]["mean"] - 0.5 * math.log2(256)) < 1.0


@pytest.mark.parametrize("count", [10, 100])
def test_bittorrent_template_near_bound_and_far_below_client_server(count):
    data = load("p2p-bittorrent-swarm")
    data["nodes"][2]["params"]["count"] = count
    r = run(data)["bittorrent"]
    assert r["completed"] == count
    assert r["lower_bound_s"] <= r["completion_s"]["max"] <= 1.6 * r["lower_bound_s"]
    if count >= 100:
        assert r["completion_s"]["max"] * 10 < r["client_server_s"]


def test_superpeer_template_needs_fewer_messages_to_search_more_peers():
    g = run(load("p2p-superpeers"))["flooding"]["groups"]
    flat, hybrid = g["flat"], g["hybrid"]
    assert hybrid["messages_per_query"] < flat["messages_per_query"]
    assert hybrid["covered"]["mean"] > 0.5 * 1000
    assert flat["covered"]["mean"] <= 161  # the tree bound for d=4, ttl=4
