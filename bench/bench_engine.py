"""Topolab's engine against SimPy 4 on the same queueing models.

Models (both engines, same parameters, same number of customers):
  * M/M/4 at rho = 0.8 (mean service 10 ms, lambda = 320/s), 200 000 arrivals;
  * a 3-station M/M/1 tandem (mu = 100, 80, 70 /s, lambda = 40/s), 100 000 arrivals.
Topolab runs the full engine path: `simulate()` on a parsed scenario with every metric of the
result, once with `emit=None` and once with a no-op `emit` (recording and frames on). SimPy runs
the idiomatic generator-process model (a source process, one process per customer, `Resource`
requests). "Model events" are arrivals plus departures (one per station), the same count for
both engines; the ratio is SimPy's wall time over ours, each the best of N runs taken in turns
(ours, SimPy, ours recording, ours split) so that load bursts hit both. Memory is tracemalloc's
peak during a 1 000 000-request Topolab run.

Run: .venv/bin/python bench/bench_engine.py [--repeat N] [--json] [--skip-memory] [--cpu]
(`--cpu` times both engines with process CPU time instead of wall time: use it when other work
shares the machine, which otherwise dominates the figures)
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import simpy

from apps.engine import parse_scenario, simulate
from apps.engine.simulate import build_result, build_world

CLOCK = {"fn": time.perf_counter}


def clock() -> float:
    """Wall time by default; CPU time of this process with --cpu (fairer on a busy machine)."""
    return CLOCK["fn"]()


MMC = {"c": 4, "rho": 0.8, "mean_ms": 10.0, "customers": 200_000}
TANDEM = {"lam": 40.0, "mus": [100.0, 80.0, 70.0], "customers": 100_000}


# --- Topolab ------------------------------------------------------------------------------------
def mmc_scenario(customers: int) -> dict:
    lam = MMC["rho"] * MMC["c"] * 1000.0 / MMC["mean_ms"]
    return {
        "format": "topolab/1",
        "nodes": [
            {"id": "users", "kind": "client", "params": {"rate_rps": lam}},
            {
                "id": "api",
                "kind": "service",
                "params": {"workers": MMC["c"], "service_time_ms": MMC["mean_ms"]},
            },
        ],
        "edges": [{"id": "e1", "source": "users", "target": "api", "params": {"latency_ms": 0}}],
        "settings": {"duration_s": customers / lam, "seed": 1},
    }


def tandem_scenario(customers: int) -> dict:
    lam, mus = TANDEM["lam"], TANDEM["mus"]
    nodes = [{"id": "users", "kind": "client", "params": {"rate_rps": lam}}]
    edges, prev = [], "users"
    for i, mu in enumerate(mus):
        params: dict = {"service_time_ms": 1000.0 / mu}
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
        "settings": {"duration_s": min(3600.0, customers / lam), "seed": 1},
    }


def run_topolab_split(data: dict) -> tuple[float, float]:
    """(simulation only, metric folds only) seconds of the emit=None path."""
    scenario = parse_scenario(data)
    duration = scenario.settings.duration_s
    t0 = clock()
    world = build_world(scenario, scenario.settings.seed, duration, recording=False)
    world.kernel.run(duration)
    t1 = clock()
    build_result(world, scenario.settings.seed, duration)
    return t1 - t0, clock() - t1


def run_topolab(data: dict, record: bool) -> tuple[float, dict]:
    scenario = parse_scenario(data)
    t = clock()
    result = simulate(scenario, emit=(lambda _m: None) if record else None)
    return clock() - t, result


# --- SimPy (idiomatic) --------------------------------------------------------------------------
def simpy_mmc(customers: int, seed: int = 1) -> tuple[float, float]:
    rng = random.Random(seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=MMC["c"])
    mean = MMC["mean_ms"] / 1000.0
    lam = MMC["rho"] * MMC["c"] / mean
    waits: list[float] = []

    def customer(env):
        arrive = env.now
        with server.request() as req:
            yield req
            waits.append(env.now - arrive)
            yield env.timeout(rng.expovariate(1.0 / mean))

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(lam))
            env.process(customer(env))

    env.process(source(env))
    t = clock()
    env.run()
    return clock() - t, sum(waits) / len(waits) * 1000.0


def simpy_tandem(customers: int, seed: int = 1) -> tuple[float, float]:
    rng = random.Random(seed)
    env = simpy.Environment()
    stations = [(simpy.Resource(env, capacity=1), 1.0 / mu) for mu in TANDEM["mus"]]
    sojourn: list[float] = []

    def customer(env):
        arrive = env.now
        for server, mean in stations:
            with server.request() as req:
                yield req
                yield env.timeout(rng.expovariate(1.0 / mean))
        sojourn.append(env.now - arrive)

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(TANDEM["lam"]))
            env.process(customer(env))

    env.process(source(env))
    t = clock()
    env.run()
    return clock() - t, sum(sojourn) / len(sojourn) * 1000.0


# --- driver -------------------------------------------------------------------------------------
def interleaved(fns: list, repeat: int) -> list:
    """Best (lowest first element) of `repeat` results per function, the functions taking turns
    within each round, so a burst of load on a shared machine hits both engines alike."""
    runs: list[list] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            runs[i].append(fn())
    return [min(r, key=lambda x: x[0]) for r in runs]


def compare(
    name: str, data: dict, customers: int, stations: int, simpy_fn, repeat: int, metric
) -> dict:
    model_events = customers * (1 + stations)
    (ours, result), (theirs, theirs_metric), (ours_rec, _), (run_only, fold) = interleaved(
        [
            lambda: run_topolab(data, False),
            lambda: simpy_fn(customers),
            lambda: run_topolab(data, True),
            lambda: run_topolab_split(data),
        ],
        repeat,
    )
    row = {
        "model": name,
        "customers": customers,
        "model_events": model_events,
        "topolab_s": round(ours, 3),
        "topolab_recording_s": round(ours_rec, 3),
        "simpy_s": round(theirs, 3),
        "topolab_meps": round(model_events / ours / 1e6, 3),
        "topolab_recording_meps": round(model_events / ours_rec / 1e6, 3),
        "simpy_meps": round(model_events / theirs / 1e6, 3),
        "ratio": round(theirs / ours, 2),
        "ratio_recording": round(theirs / ours_rec, 2),
        "topolab_run_only_s": round(run_only, 3),
        "topolab_fold_s": round(fold, 3),
        "ratio_run_only": round(theirs / run_only, 2),
        "topolab_kernel_events": result["events"],
        "topolab_result_ms": metric(result),
        "simpy_result_ms": round(theirs_metric, 3),
    }
    return row


def memory_1m() -> dict:
    data = mmc_scenario(1_000_000)
    scenario = parse_scenario(data)
    tracemalloc.start()
    result = simulate(scenario)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "requests": result["summary"]["requests"],
        "peak_mib": round(peak / 2**20, 1),
        "bytes_per_request": round(peak / result["summary"]["requests"], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--cpu", action="store_true", help="time with process CPU time, not wall")
    args = ap.parse_args()
    if args.cpu:
        CLOCK["fn"] = time.process_time
    rows = [
        compare(
            "M/M/4 rho=0.8",
            mmc_scenario(MMC["customers"]),
            MMC["customers"],
            1,
            simpy_mmc,
            args.repeat,
            lambda r: r["nodes"]["api"]["wait_ms"]["mean"],
        ),
        compare(
            "tandem 3 x M/M/1",
            tandem_scenario(TANDEM["customers"]),
            TANDEM["customers"],
            3,
            simpy_tandem,
            args.repeat,
            lambda r: r["summary"]["latency_ms"]["mean"],
        ),
    ]
    report = {"python": platform.python_version(), "simpy": simpy.__version__, "rows": rows}
    if not args.skip_memory:
        report["memory_1m"] = memory_1m()
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"Python {report['python']}, SimPy {report['simpy']}, best of {args.repeat}")
    head = f"{'model':<18}{'ours s':>8}{'rec s':>8}{'simpy s':>9}"
    print(head + f"{'ours Mev/s':>12}{'rec Mev/s':>11}{'simpy Mev/s':>13}{'ratio':>7}{'rec':>6}")
    for r in rows:
        print(
            f"{r['model']:<18}{r['topolab_s']:>8}{r['topolab_recording_s']:>8}"
            f"{r['simpy_s']:>9}{r['topolab_meps']:>12}{r['topolab_recording_meps']:>11}"
            f"{r['simpy_meps']:>13}{r['ratio']:>7}{r['ratio_recording']:>6}"
        )
        print(
            f"{'':<18}mean wait (M/M/4) / sojourn (tandem) ms: ours {r['topolab_result_ms']}, "
            f"simpy {r['simpy_result_ms']}; kernel events {r['topolab_kernel_events']}"
        )
        print(
            f"{'':<18}ours = run {r['topolab_run_only_s']} s + folds {r['topolab_fold_s']} s; "
            f"run alone vs SimPy: {r['ratio_run_only']}x"
        )
    if "memory_1m" in report:
        m = report["memory_1m"]
        print(
            f"memory, 1M requests: peak {m['peak_mib']} MiB "
            f"({m['bytes_per_request']} B/request, {m['requests']} requests)"
        )


if __name__ == "__main__":
    main()
