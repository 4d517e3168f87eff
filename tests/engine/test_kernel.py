from apps.engine.kernel import PRIO_FAULT, PRIO_MODEL, Kernel


def test_equal_time_events_run_in_scheduling_order():
    k = Kernel()
    seen: list[str] = []
    for name in ["c", "a", "b", "z", "y"]:
        k.at(1.0, seen.append, name)
    k.run(2.0)
    assert seen == ["c", "a", "b", "z", "y"]


def test_time_then_priority_then_seq():
    k = Kernel()
    seen: list[str] = []
    k.at(2.0, seen.append, "late")
    k.at(1.0, seen.append, "model-1", PRIO_MODEL)
    k.at(1.0, seen.append, "fault", PRIO_FAULT)
    k.at(1.0, seen.append, "model-2", PRIO_MODEL)
    k.at(0.5, seen.append, "early")
    k.run(10.0)
    assert seen == ["early", "fault", "model-1", "model-2", "late"]


def test_run_stops_before_until_and_resumes():
    k = Kernel()
    seen: list[float] = []

    def tick(_):
        seen.append(k.now)
        if k.now < 5:
            k.schedule(1.0, tick)

    k.at(0.0, tick)
    k.run(3.0)
    assert seen == [0.0, 1.0, 2.0]  # the event at exactly 3.0 belongs to the next window
    assert k.now == 3.0
    assert k.events == 3
    k.run(10.0)
    assert seen == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert k.events == 6
    assert k.now == 10.0


def test_schedule_is_relative_and_at_never_goes_back():
    k = Kernel()
    seen: list[tuple[str, float]] = []
    k.at(2.0, lambda _: (seen.append(("a", k.now)), k.at(1.0, lambda _: seen.append(("b", k.now)))))
    k.run(5.0)
    assert seen == [("a", 2.0), ("b", 2.0)]


def test_callbacks_are_never_compared():
    class Opaque:
        def __call__(self, _):
            pass

    k = Kernel()
    for _ in range(100):
        k.at(1.0, Opaque())  # equal (t, prio): a comparison would reach fn and raise TypeError
    k.run(2.0)
    assert k.events == 100
    assert len(k) == 0
