"""Flooding: exact message count and reach vs BFS, the tree bound, and super-peers."""

from collections import deque

from apps.engine import simulate
from apps.engine.patterns.flooding import regular_graph
from apps.engine.rng import substream
from apps.engine.scenario import parse_scenario
from apps.engine.simulate import build_world


def group(n, *, d=4, ttl=4, q=5.0, sp=0, node_id="g", **extra):
    params = {"protocol": "flooding", "count": n, "degree": d, "ttl": ttl, "queries_per_s": q}
    return {"id": node_id, "kind": "peer", "params": {**params, "superpeers": sp, **extra}}


def scenario(*nodes, edges=(), duration=20):
    return {
        "format": "topolab/1",
        "nodes": list(nodes),
        "edges": list(edges),
        "settings": {"duration_s": duration, "warmup_s": 0, "seed": 3},
    }


def bound(d, t):
    return 1 + d * sum((d - 1) ** i for i in range(t))


def test_generated_graph_is_simple_and_regular():
    for n, d in [(10, 4), (1000, 4), (501, 6), (1000, 3)]:
        adj = regular_graph(n, d, substream(1, f"g{n}{d}"))
        assert all(len(a) == d and len(set(a)) == d and i not in a for i, a in enumerate(adj))
        assert all(i in adj[j] for i, a in enumerate(adj) for j in a)


def test_messages_and_reach_match_bfs_exactly():
    world = build_world(parse_scenario(scenario(group(300))), 3, 20.0, False)
    world.kernel.run(20.0)
    fl = world.nodes[0].ov
    assert len(fl.q_origin) > 50
    for o, msgs, reach in zip(fl.q_origin, fl.q_msgs, fl.q_reach, strict=True):
        dist = {o: 0}
        todo = deque([o])
        while todo:
            x = todo.popleft()
            for y in fl.adj[x]:
                if y not in dist:
                    dist[y] = dist[x] + 1
                    todo.append(y)
        t = 4
        assert reach == sum(1 for v in dist.values() if v <= t)
        expect = len(fl.adj[o]) + sum(len(fl.adj[v]) - 1 for v, h in dist.items() if 1 <= h < t)
        assert msgs == expect


def test_reach_is_within_and_close_to_the_tree_bound_on_a_large_graph():
    for d, t in [(4, 4), (6, 3)]:
        r = simulate(scenario(group(10_000, d=d, ttl=t)))["protocols"]["flooding"]
        assert r["reach"]["max"] <= bound(d, t)
        assert r["reach"]["mean"] > 0.97 * bound(d, t)
        # a tree-like ball: each reached peer cost one message, plus few duplicates
        assert r["messages_per_query"] < 1.05 * (r["reach"]["mean"] - 1) + d


def test_small_graph_saturates_and_wastes_messages_on_duplicates():
    r = simulate(scenario(group(100, ttl=6)))["protocols"]["flooding"]
    assert r["reach"]["max"] <= 100
    assert r["reach"]["mean"] > 95
    assert r["messages_per_query"] > 1.5 * r["reach"]["mean"]


def test_drawn_edges_are_the_neighbours():
    nodes = [
        {"id": f"p{i}", "kind": "peer", "params": {"protocol": "flooding", "ttl": 2}}
        for i in range(5)
    ]
    edges = [{"id": f"e{i}", "source": f"p{i}", "target": f"p{i + 1}"} for i in range(4)]
    r = simulate(scenario(*nodes, edges=edges, duration=60))["protocols"]["flooding"]
    # a path of 5: ttl 2 reaches at most 5 peers (middle) and at least 3 (an end)
    assert 3 <= r["reach"]["mean"] <= 5
    assert r["reach"]["max"] == 5
    assert set(r["groups"]) == {f"p{i}" for i in range(5)}


def test_super_peers_search_more_peers_with_fewer_messages_than_flooding():
    pure = group(2000, node_id="pure", ttl=4)
    hybrid = group(2000, node_id="hybrid", ttl=4, sp=100)
    r = simulate(scenario(pure, hybrid))["protocols"]["flooding"]["groups"]
    p, h = r["pure"], r["hybrid"]
    assert h["messages_per_query"] < p["messages_per_query"]
    assert h["covered"]["mean"] > 4 * p["covered"]["mean"]
    # messages per peer searched: an order of magnitude apart
    assert (h["messages_per_query"] / h["covered"]["mean"]) * 5 < (
        p["messages_per_query"] / p["covered"]["mean"]
    )
