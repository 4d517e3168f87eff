"""The engine against queueing theory (fixed seeds: these numbers are deterministic).

Run lengths are chosen so each check sits well inside its 3% band with margin while the file
runs in ~15 s; averaging a few seeds cuts the variance of the heavy-traffic cases.
"""

import math

import pytest

from apps.engine import parse_scenario, simulate
from tests.engine.helpers import erlang_c_wait_ms, mean_wait_ms, mmc_scenario, rel_err

MEAN_MS = 10.0


@pytest.mark.parametrize(
    ("c", "rho", "customers", "seeds"),
    [(1, 0.5, 100_000, 3), (1, 0.8, 160_000, 5), (4, 0.5, 100_000, 3), (4, 0.8, 160_000, 4)],
)
def test_mmc_mean_wait_matches_erlang_c(c, rho, customers, seeds):
    lam = rho * c * 1000.0 / MEAN_MS
    duration = customers / lam

    def scenario(seed):
        return mmc_scenario(lam, c, MEAN_MS, duration, seed=seed)

    wait, results = mean_wait_ms(scenario, range(1, seeds + 1))
    theory = erlang_c_wait_ms(lam, c, MEAN_MS)
    assert rel_err(wait, theory) < 0.03, (wait, theory)
    util = sum(r["nodes"]["api"]["utilization"] for r in results) / seeds
    assert rel_err(util, rho) < 0.01, util
    thr = results[0]["nodes"]["api"]["throughput_rps"]
    assert rel_err(thr, lam) < 0.02, thr
    if c == 1:  # M/M/1 sojourn time is exponential with rate mu - lambda
        p99 = sum(r["summary"]["latency_ms"]["p99"] for r in results) / seeds
        theory_p99 = math.log(100) / (1000.0 / MEAN_MS - lam) * 1000.0
        assert rel_err(p99, theory_p99) < 0.03, (p99, theory_p99)


def test_md1_mean_wait_matches_pollaczek_khinchine():
    rho = 0.8
    lam = rho * 1000.0 / MEAN_MS
    mu = 1000.0 / MEAN_MS
    theory = rho / (2 * mu * (1 - rho)) * 1000.0  # Wq = rho / (2 mu (1 - rho))

    def scenario(seed):
        return mmc_scenario(lam, 1, MEAN_MS, 120_000 / lam, seed=seed, dist="constant")

    wait, _ = mean_wait_ms(scenario, range(1, 4))
    assert rel_err(wait, theory) < 0.03, (wait, theory)
    # and it is clearly not M/M/1's (twice as long)
    assert wait < 0.6 * erlang_c_wait_ms(lam, 1, MEAN_MS)


def tandem(lam: float, mus: list[float], duration: float, seed: int) -> dict:
    nodes = [{"id": "users", "kind": "client", "params": {"rate_rps": lam}}]
    edges = []
    prev = "users"
    for i, mu in enumerate(mus):
        params = {"service_time_ms": 1000.0 / mu}
        if i < len(mus) - 1:
            params["downstream"] = "forward"
        nodes.append({"id": f"s{i}", "kind": "service", "params": params})
        edges.append(
            {"id": f"e{i}", "source": prev, "target": f"s{i}", "params": {"latency_ms": 0}}
        )
        prev = f"s{i}"
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges,
        "settings": {"duration_s": duration, "warmup_s": 10, "seed": seed},
    }


def test_tandem_matches_jackson_network_sum():
    lam, mus = 40.0, [100.0, 80.0, 70.0]
    theory = sum(1000.0 / (mu - lam) for mu in mus)  # each station M/M/1 (Burke, Jackson)
    results = [simulate(parse_scenario(tandem(lam, mus, 2500, seed))) for seed in (1, 2)]
    e2e = sum(r["summary"]["latency_ms"]["mean"] for r in results) / len(results)
    assert rel_err(e2e, theory) < 0.03, (e2e, theory)
    for i, mu in enumerate(mus):
        station = sum(r["nodes"][f"s{i}"]["latency_ms"]["mean"] for r in results) / len(results)
        assert rel_err(station, 1000.0 / (mu - lam)) < 0.04, (i, station)


def test_littles_law_on_the_queue():
    # L_q (time-average queue, integrated in model code) = lambda * W_q (folded from arrays)
    lam = 80.0
    r = simulate(parse_scenario(mmc_scenario(lam, 1, MEAN_MS, 1500, seed=7)))
    api = r["nodes"]["api"]
    lq = api["queue"]["mean"]
    little = api["throughput_rps"] * api["wait_ms"]["mean"] / 1000.0
    assert rel_err(lq, little) < 0.01, (lq, little)
    assert api["queue"]["max"] >= 10


def test_synchronous_call_holds_the_worker():
    # api (1 worker, 5 ms) calls db (1 worker, 5 ms) and waits: api's worker is busy for both,
    # so api behaves as one server with service time = 5 ms + db's latency.
    sc = {
        "format": "topolab/1",
        "nodes": [
            {"id": "u", "kind": "client", "params": {"rate_rps": 20}},
            {
                "id": "api",
                "kind": "service",
                "params": {"service_time_ms": 5, "service_time_dist": "constant"},
            },
            {
                "id": "db",
                "kind": "service",
                "params": {"service_time_ms": 5, "service_time_dist": "constant"},
            },
        ],
        "edges": [
            {"id": "a", "source": "u", "target": "api", "params": {"latency_ms": 1}},
            {"id": "b", "source": "api", "target": "db", "params": {"latency_ms": 2}},
        ],
        "settings": {"duration_s": 200, "seed": 3},
    }
    r = simulate(parse_scenario(sc))
    api, db = r["nodes"]["api"], r["nodes"]["db"]
    assert db["wait_ms"]["mean"] == 0.0  # api never has two requests out at once
    # api holds its worker 5 + 2 + 5 + 2 = 14 ms per request
    assert api["latency_ms"]["mean"] == pytest.approx(14 + api["wait_ms"]["mean"], abs=1e-3)
    assert api["utilization"] == pytest.approx(20 * 0.014, rel=0.05)
    assert r["summary"]["latency_ms"]["mean"] == pytest.approx(
        2 + api["latency_ms"]["mean"], abs=1e-3
    )


@pytest.mark.parametrize(
    ("dist", "rho", "es2_over_m2", "seeds"),
    [("uniform", 0.8, 4.0 / 3.0, 3), ("lognormal", 0.5, 2.0, 3)],
)
def test_mg1_mean_wait_matches_pollaczek_khinchine(dist, rho, es2_over_m2, seeds):
    # W_q = lambda E[S^2] / (2 (1 - rho)); uniform on [0, 2m]: E[S^2] = 4m^2/3;
    # lognormal with cv 1: E[S^2] = m^2 (1 + cv^2) = 2m^2
    lam = rho * 1000.0 / MEAN_MS
    m = MEAN_MS / 1000.0
    theory = lam * es2_over_m2 * m * m / (2 * (1 - rho)) * 1000.0

    def scenario(seed):
        return mmc_scenario(lam, 1, MEAN_MS, 100_000 / lam, seed=seed, dist=dist)

    wait, _ = mean_wait_ms(scenario, range(1, seeds + 1))
    assert rel_err(wait, theory) < 0.03, (wait, theory)
