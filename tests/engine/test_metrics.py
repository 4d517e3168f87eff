from array import array

from apps.engine.metrics import busy_time, mean_p99, percentile, rnd, spans, summary
from apps.engine.recorder import sample_rows


def test_nearest_rank_percentiles():
    s = list(range(1, 101))
    assert percentile(s, 50) == 50
    assert percentile(s, 95) == 95
    assert percentile(s, 99) == 99
    assert percentile(s, 100) == 100
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0


def test_summary_scales_and_rounds():
    out = summary([0.001, 0.002, 0.003], 1000.0)
    assert out == {"mean": 2.0, "p50": 2.0, "p95": 3.0, "p99": 3.0, "max": 3.0}
    assert summary([]) == {"mean": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    assert rnd(1 / 3) == 0.333333
    assert rnd(float("nan")) == 0.0


def test_spans_filter_by_start():
    t0 = array("d", [0.0, 1.0, 2.0, 3.0])
    t1 = array("d", [0.5, 1.5, 2.25, 4.0])
    assert spans(t0, t1, 0.0) == [0.5, 0.5, 0.25, 1.0]
    assert spans(t0, t1, 2.0) == [0.25, 1.0]


def test_busy_time_clips_at_the_window_start():
    assert busy_time([0.0, 1.0, 2.0], [1.5, 2.5, 3.0], 2.0) == 0.5 + 1.0


def test_sampling_is_even_and_keeps_order():
    rows = [(i,) for i in range(10)]
    assert sample_rows(rows, 20) is rows
    assert sample_rows(rows, 5) == [(0,), (2,), (4,), (6,), (8,)]
    assert sample_rows(rows, 0) == []


def test_mean_p99_agrees_with_the_full_sort():
    import random

    rng = random.Random(3)
    for n in (1, 2, 99, 100, 101, 1000, 12345):
        values = [rng.expovariate(1.0) for _ in range(n)]
        full = summary(list(values), 1000.0)
        assert mean_p99(values, 1000.0) == {"mean": full["mean"], "p99": full["p99"]}
