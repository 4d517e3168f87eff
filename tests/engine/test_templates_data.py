"""The data-tier gallery templates validate, run, and show what their descriptions promise."""

from __future__ import annotations

import json
import math
import random

import pytest

from apps.engine import parse_scenario, simulate
from apps.engine.kinds.shard_router import mix64
from apps.engine.patterns.lru import che_hit_ratio
from apps.engine.workload import KeySampler
from tests.engine.helpers import ROOT

TEMPLATES = ROOT / "apps" / "scenarios" / "templates_data"
NAMES = ["three-tier-cache", "caching-strategies", "sharded-hot-key", "replication-stale-reads"]


def load(name: str) -> dict:
    doc = json.loads((TEMPLATES / f"{name}.json").read_text())
    meta = doc.pop("meta")
    assert meta["title"]
    assert len(meta["description"]) > 100
    return doc


def run(doc: dict) -> dict:
    return simulate(parse_scenario(doc))


@pytest.mark.parametrize("name", NAMES)
def test_template_validates_and_runs(name):
    r = run(load(name))
    assert r["summary"]["completed"] > 0.95 * r["summary"]["requests"]


def test_three_tier_cache_hit_ratio_is_near_che_and_the_database_sees_the_misses():
    r = run(load("three-tier-cache"))
    cache, db = r["nodes"]["cache"], r["nodes"]["db"]
    ks = KeySampler(10_000, "zipf", 0.9, random.Random(0).random)
    che = che_hit_ratio([ks.probability(k) for k in range(10_000)], 1000)
    # reads only would give Che's value; 5% writes invalidate keys, so a little less
    assert che - 0.04 < cache["hit_ratio"] < che
    assert db["reads"] == pytest.approx(cache["misses"], abs=5)
    assert 0.4 < db["utilization"] < 0.7  # > 1 without the cache: 300 rps x 15 ms / 4


def test_caching_strategies_trade_latency_hit_ratio_and_data_at_risk():
    n = run(load("caching-strategies"))["nodes"]
    lat = {s: n[f"users-{s}"]["latency_ms"]["mean"] for s in ("aside", "through", "behind")}
    assert lat["behind"] < lat["through"] < lat["aside"]
    assert n["cache-through"]["hit_ratio"] > n["cache-aside"]["hit_ratio"] + 0.1
    wb = n["cache-behind"]["write_behind"]
    assert wb["at_risk"]["mean"] > 5
    assert wb["lost_writes"] > 0  # the crash at 40.37 s took unflushed writes with it
    assert n["db-behind"]["writes"] < n["db-through"]["writes"] / 10
    assert n["cache-aside"]["strategy"] == "cache_aside"


def test_sharded_hot_key_overloads_the_shard_that_holds_it():
    r = run(load("sharded-hot-key"))
    hot = f"shard-{mix64(0) % 4}"
    utils = {k: v["utilization"] for k, v in r["nodes"].items() if k.startswith("shard-")}
    others = [u for k, u in utils.items() if k != hot]
    assert utils[hot] > 2 * max(others)
    assert r["nodes"]["router"]["shards"][hot]["share"] == pytest.approx(0.5, abs=0.03)


def test_replication_template_has_stale_reads_failover_and_none_when_sync():
    doc = load("replication-stale-reads")
    leader = run(doc)["nodes"]["leader"]
    rep = leader["replication"]
    # Poisson writes of 60/s over 20 keys; stale iff one committed within lag minus the read's
    # own head start (read ~2 ms vs apply 40 ms): 1 - exp(-3 x 0.038) ~ 0.11, less with queueing
    assert 0.06 < rep["stale_ratio"] < 1 - math.exp(-3.0 * 0.040)
    fo = leader["failover"]
    assert fo["failovers"][0]["node"] == "follower-1"
    # detection (1.5 s), then the next write (60/s) forwarded (2 ms) and written (~5 ms)
    assert 1500 < fo["write_outage_ms"] < 1600
    for node in doc["nodes"]:
        if node["id"] == "leader":
            node["params"]["replication"] = "sync"
    sync = run(doc)["nodes"]["leader"]
    assert sync["replication"]["stale_reads"] == 0
    assert sync["write_latency_ms"]["mean"] > leader["write_latency_ms"]["mean"] + 40
