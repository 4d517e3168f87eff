"""BitTorrent swarm vs the file-distribution lower bound and the client-server time."""

import math

import pytest

from apps.engine import parse_scenario, simulate


def swarm(n, *, seed_kbps=4000, up=1000, down=4000, file_mb=10, duration=900, **tracker):
    return {
        "format": "topolab/1",
        "nodes": [
            {"id": "tr", "kind": "tracker", "params": {"file_mb": file_mb, **tracker}},
            {
                "id": "seed",
                "kind": "peer",
                "params": {"protocol": "bittorrent", "seed": True, "upload_kbps": seed_kbps},
            },
            {
                "id": "swarm",
                "kind": "peer",
                "params": {
                    "protocol": "bittorrent",
                    "count": n,
                    "upload_kbps": up,
                    "download_kbps": down,
                },
            },
        ],
        "edges": [],
        "settings": {"duration_s": duration, "warmup_s": 0, "seed": 7},
    }


def bt(n, **kw):
    return simulate(swarm(n, **kw))["protocols"]["bittorrent"]


@pytest.mark.parametrize("n", [10, 50, 200])
def test_completion_is_above_the_lower_bound_and_within_1_6x(n):
    r = bt(n)
    assert r["completed"] == r["peers"] == n
    f = math.ceil(10e6 / 64e3) * 64e3  # the file is rounded up to whole 64 kB pieces
    u_s, u, d = 4000 * 125, 1000 * 125, 4000 * 125
    bound = max(f / u_s, f / d, n * f / (u_s + n * u))
    assert r["lower_bound_s"] == pytest.approx(bound, rel=1e-4)
    assert r["completion_s"]["max"] >= bound
    assert r["completion_s"]["max"] <= 1.6 * bound


def test_p2p_time_barely_grows_while_client_server_grows_linearly():
    small, large = bt(10), bt(200)
    assert large["client_server_s"] == pytest.approx(20 * small["client_server_s"], rel=1e-4)
    assert large["completion_s"]["max"] < 2.5 * small["completion_s"]["max"]
    assert large["completion_s"]["max"] * 20 < large["client_server_s"]


def test_a_slow_downloader_sets_the_bound():
    r = bt(20, down=400)  # F/d_min = 10.048 MB / 50 kB/s = 201 s dominates
    assert r["lower_bound_s"] == pytest.approx(200.96, rel=1e-4)
    assert 200.96 <= r["completion_s"]["max"] <= 1.5 * 200.96


def test_without_a_seeder_nobody_finishes():
    sc = swarm(10)
    sc["nodes"][1]["params"]["seed"] = False
    r = simulate(sc, duration_s=60)["protocols"]["bittorrent"]
    assert r["completed"] == 0


def test_deterministic_and_swarm_view_is_bounded():
    sc = swarm(300, duration=20)
    a, b = simulate(sc), simulate(sc)
    a.pop("wall_s"), b.pop("wall_s")
    assert a == b
    frames = []
    simulate(parse_scenario(sc), emit=frames.append, frame_interval_s=1.0)
    views = [f["protocols"]["bittorrent"] for f in frames if f["type"] == "frame"]
    assert all(len(v["done"]) <= 256 for v in views)
    assert all(0 <= x <= 1 for v in views for x in v["done"])
    assert sum(views[-1]["done"]) > sum(views[0]["done"])
