"""microservices-gateway: aggregation couples reads; a database per service isolates writes."""

from __future__ import annotations

import json
from pathlib import Path

from apps.engine import parse_scenario, simulate

TEMPLATE = (
    Path(__file__).resolve().parents[2] / "apps/scenarios/templates_data/microservices-gateway.json"
)


def run(**settings) -> dict:
    data = json.loads(TEMPLATE.read_text())
    data.pop("meta")
    data["settings"].update(settings)
    return simulate(parse_scenario(data))


def test_reviews_db_outage_fails_product_pages_but_not_orders():
    r = run()
    shoppers, buyers, gw = r["nodes"]["shoppers"], r["nodes"]["buyers"], r["nodes"]["gateway"]
    # 10 s outage at 150 pages/s: about 1 500 pages fail; every order still succeeds
    assert 1300 < shoppers["failed"] < 1700
    assert buyers["failed"] == 0
    assert buyers["completed"] > 2000
    # every page went to both services, every order to orders alone; nothing throttled
    assert gw["routed"]["catalog"] == gw["routed"]["reviews"] > 8000
    assert gw["routed"]["orders"] > 2000
    assert gw["throttled"] == 0


def test_aggregated_page_waits_for_its_slowest_part():
    r = run(duration_s=25)  # before the outage
    page = r["nodes"]["shoppers"]["latency_ms"]["mean"]
    slowest = max(r["nodes"][s]["latency_ms"]["mean"] for s in ("catalog", "reviews"))
    # two 20 ms client links, 2 ms auth, 1 ms gateway links each way, plus the slower service
    assert page > slowest + 2 * 20 + 2
    assert r["nodes"]["shoppers"]["failed"] == 0


def test_gateway_rate_limit_throttles_above_its_bucket():
    data = json.loads(TEMPLATE.read_text())
    data.pop("meta")
    data["nodes"][0]["params"]["rate_rps"] = 600
    data["faults"] = []
    data["settings"]["duration_s"] = 20
    gw = simulate(parse_scenario(data))["nodes"]["gateway"]
    # 640 rps offered against 400 tokens/s: about 240/s refused with 429s
    assert 0.3 < gw["throttled"] / gw["requests"] < 0.45
