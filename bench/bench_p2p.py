"""Peer-to-peer overlays at internet-like scale: wall time and memory.

Models:
  * Chord: one `peer` node with `count: 10000` (a 32-bit ring built stabilised), 100 000 lookups
    for random keys (1 lookup/s per peer for 10 simulated seconds), every one checked against
    the true successor;
  * flooding: a random 4-regular graph of 10 000 peers, TTL 4, 2 000 queries;
  * BitTorrent: one seeder and a 1 000-peer flash crowd sharing a 10 MB file in 64 kB pieces,
    run until every peer has the file.
Each model runs once with `emit=None` for the wall time, then once under tracemalloc for the
peak Python memory (skip with --skip-memory).

Run: .venv/bin/python bench/bench_p2p.py [--json] [--skip-memory]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.engine import parse_scenario, simulate


def chord() -> dict:
    peer = {"protocol": "chord", "count": 10_000, "lookups_per_s": 1.0}
    return _one(peer, duration=10)


def flooding() -> dict:
    peer = {"protocol": "flooding", "count": 10_000, "degree": 4, "ttl": 4, "queries_per_s": 200}
    return _one(peer, duration=10)


def _one(params: dict, duration: float) -> dict:
    return {
        "format": "topolab/1",
        "nodes": [{"id": "p", "kind": "peer", "params": params}],
        "edges": [],
        "settings": {"duration_s": duration, "warmup_s": 0, "seed": 1},
    }


def swarm() -> dict:
    return {
        "format": "topolab/1",
        "nodes": [
            {"id": "tr", "kind": "tracker", "params": {"file_mb": 10, "piece_kb": 64}},
            {
                "id": "s",
                "kind": "peer",
                "params": {"protocol": "bittorrent", "seed": True, "upload_kbps": 4000},
            },
            {"id": "crowd", "kind": "peer", "params": {"protocol": "bittorrent", "count": 1000}},
        ],
        "edges": [],
        "settings": {"duration_s": 600, "warmup_s": 0, "seed": 1},
    }


def measure(name: str, scenario: dict, memory: bool) -> dict:
    sc = parse_scenario(scenario)
    t0, c0 = time.perf_counter(), time.process_time()
    result = simulate(sc)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    # CPU time too: on a shared machine it is the steadier figure
    row = {"model": name, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}
    row["events"] = result["events"]
    row["protocol"] = next(iter(result["protocols"].values()))
    if memory:
        tracemalloc.start()
        simulate(sc)
        row["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
        tracemalloc.stop()
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    args = ap.parse_args()
    rows = [
        measure(name, fn(), not args.skip_memory)
        for name, fn in (("chord-10k", chord), ("flooding-10k", flooding), ("swarm-1k", swarm))
    ]
    if args.json:
        print(json.dumps({"python": platform.python_version(), "rows": rows}, indent=2))
        return
    print(f"Python {platform.python_version()}")
    for r in rows:
        p = r["protocol"]
        mem = f"  peak {r['peak_mb']} MB" if "peak_mb" in r else ""
        if r["model"].startswith("chord"):
            what = f"{p['lookups']} lookups, hops {p['hops']['mean']}, wrong {p['wrong']}"
        elif r["model"].startswith("flooding"):
            what = f"{p['queries']} queries, {p['messages_per_query']} msgs/query"
        else:
            what = f"{p['completed']} peers done, max {p['completion_s']['max']} s"
        times = f"{r['wall_s']:>7.2f} s wall {r['cpu_s']:>7.2f} s cpu"
        print(f"{r['model']:<13} {times}  {r['events']:>9} events{mem}  {what}")


if __name__ == "__main__":
    main()
