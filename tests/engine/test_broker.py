"""The broker against queueing theory and its delivery guarantees (fixed seeds)."""

from apps.engine import parse_scenario, simulate
from tests.engine.helpers import erlang_c_wait_ms, rel_err, stable


def broker_scenario(
    lam: float,
    consumers: int,
    duration: float,
    *,
    seed: int = 1,
    latency_ms: float = 0.0,
    loss: float = 0.0,
    consumer: dict | None = None,
    faults: list | None = None,
    **broker,
) -> dict:
    """client -> broker -> `consumers` one-worker services (10 ms exponential by default)."""
    nodes = [
        {"id": "p", "kind": "client", "params": {"rate_rps": lam}},
        {"id": "mq", "kind": "broker", "params": broker},
    ]
    edges = [{"id": "e0", "source": "p", "target": "mq", "params": {"latency_ms": 0}}]
    for i in range(consumers):
        params = consumer or {"workers": 1, "service_time_ms": 10}
        nodes.append({"id": f"c{i}", "kind": "service", "params": params})
        edge = {"latency_ms": latency_ms, "loss": loss}
        edges.append({"id": f"e{i + 1}", "source": "mq", "target": f"c{i}", "params": edge})
    return {
        "format": "topolab/1",
        "nodes": nodes,
        "edges": edges,
        "faults": faults or [],
        "settings": {"duration_s": duration, "warmup_s": 5, "seed": seed},
    }


def run(sc: dict) -> dict:
    return simulate(parse_scenario(sc))


def test_competing_consumers_wait_like_erlang_c():
    # 3 consumers, prefetch 1, zero-latency acks: the broker queue is M/M/3 at rho = 0.7.
    # 4 seeds x 31 500 messages: per-seed means spread ~7% at this load, their mean ~3.5%
    lam, c, seeds = 210.0, 3, (1, 2, 3, 4)
    res = [run(broker_scenario(lam, c, 155, seed=s))["nodes"]["mq"] for s in seeds]
    wait = sum(r["wait_ms"]["mean"] for r in res) / len(res)
    theory = erlang_c_wait_ms(lam, c, 10.0)
    assert rel_err(wait, theory) < 0.05, (wait, theory)
    assert all(r["duplicates"] == 0 for r in res)
    assert all(r["redeliveries"] == 0 for r in res)


def test_lost_acks_give_p_over_1_minus_p_duplicates():
    # loss p on the consumer edge hits deliveries and acks alike; redelivery until acked gives
    # 1 + p/(1-p) processings per message on average (docs/patterns/async.md derives it)
    p = 0.2
    sc = broker_scenario(
        200,
        1,
        205,
        latency_ms=1,
        loss=p,
        consumer={"workers": 4, "service_time_ms": 2},
        ack_timeout_ms=50,
        max_attempts=30,
        prefetch=100,
    )
    m = run(sc)["nodes"]["mq"]
    assert m["dead_lettered"] == 0
    assert m["absorbed"] == 0
    assert rel_err(m["duplicates"] / m["processed"], p / (1 - p)) < 0.04, m
    sc["nodes"][1]["params"]["delivery"] = "effectively_once"
    e = run(sc)["nodes"]["mq"]
    assert e["duplicates"] == 0
    assert e["absorbed"] == m["duplicates"]
    sc["nodes"][1]["params"]["delivery"] = "at_most_once"
    a = run(sc)["nodes"]["mq"]
    assert a["duplicates"] == 0
    assert a["redeliveries"] == 0
    assert rel_err(a["lost"] / a["published"], p) < 0.04, a


def test_topic_delivers_every_message_to_every_subscriber():
    slow = {"workers": 1, "service_time_ms": 18}
    sc = broker_scenario(50, 3, 60, mode="topic")
    sc["nodes"][4]["params"] = slow  # c2 is a slow subscriber (rho 0.9)
    m = run(sc)["nodes"]["mq"]
    subs = m["subscribers"]
    assert list(subs) == ["c0", "c1", "c2"]
    for s in subs.values():
        assert s["published"] == m["published"] > 2500
        assert s["acked"] + s["backlog"] == s["published"]  # nothing lost, nothing extra
        assert s["duplicates"] == 0
        assert s["redeliveries"] == 0
    assert subs["c2"]["lag_ms"]["mean"] > 4 * subs["c0"]["lag_ms"]["mean"]
    assert subs["c2"]["depth"]["mean"] > 4 * subs["c0"]["depth"]["mean"]


def test_dead_letter_after_max_attempts_when_the_consumer_is_down():
    sc = broker_scenario(
        10,
        1,
        20,
        max_attempts=3,
        consumer_backoff_ms=100,
        faults=[{"at_s": 0, "action": "crash", "node": "c0"}],
    )
    sc["settings"]["warmup_s"] = 0  # count every message: the claim below is about all of them
    m = run(sc)["nodes"]["mq"]
    assert m["acked"] == 0
    # one lane, 3 deliveries 100 ms apart per message: ~0.3 s each, so ~66 in 20 s
    assert 60 <= m["dead_lettered"] <= 67
    # every dead letter took exactly 3 deliveries; a backoff spaces deliveries 100 ms apart
    assert 3 * m["dead_lettered"] <= m["deliveries"] < 3 * m["dead_lettered"] + 3
    assert m["deliveries"] <= 20 / 0.1 + 1


def test_broker_crash_loses_nothing_at_least_once():
    faults = [
        {"at_s": 10, "action": "crash", "node": "mq"},
        {"at_s": 12, "action": "restart", "node": "mq"},
    ]
    sc = broker_scenario(100, 2, 30, latency_ms=1, faults=faults)
    r = run(sc)
    m = r["nodes"]["mq"]
    assert m["refused"] > 150  # publishes refused while down
    assert m["acked"] + m["backlog"] == m["published"]
    assert m["redeliveries"] >= 1  # the in-flight deliveries went out again after the restart


def test_recording_does_not_change_the_result():
    sc = broker_scenario(100, 2, 10, latency_ms=1, loss=0.1, ack_timeout_ms=20, mode="topic")
    frames: list[dict] = []
    a = simulate(parse_scenario(sc))
    b = simulate(parse_scenario(sc), emit=frames.append)
    assert stable(a) == stable(b)
    kinds = {k for f in frames if f["type"] == "frame" for k in f["events"]["kind"]}
    assert {5, 6} <= kinds  # event and ack are animated


def test_max_depth_refuses_publishes_when_the_queue_is_full():
    # one 10 ms consumer at 200 msg/s: the queue fills to 20 and every further publish that
    # finds it full is refused (the producer sees an error)
    r = run(broker_scenario(200, 1, 20, max_depth=20))
    m = r["nodes"]["mq"]
    assert m["depth"]["max"] == 20
    assert m["rejected"] > 1000
    assert r["nodes"]["p"]["failed"] > 1000  # the producer saw the refusals
