"""A classroom in two Chromium pages: the presenter presents, a student follows at /join/<code>.

Presenter selects and pans -> the student sees the same; presenter runs -> the student's canvas
animates the same run at the same playhead; the student detaches and re-attaches; a guided tour
highlights nodes and asks a question whose answer reaches the presenter's tally; End closes the
session for the student, who keeps a read-only copy. Also measures presenter action -> student
screen latency (selection, 20 samples).
"""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

SCENARIO = {
    "format": "topolab/1",
    "name": "Class demo",
    "nodes": [
        {"id": "users", "kind": "client", "label": "Users", "x": 60, "y": 200,
         "params": {"rate_rps": 40, "arrival": "poisson"}},
        {"id": "api-1", "kind": "service", "label": "API", "x": 360, "y": 200,
         "params": {"workers": 2, "service_time_ms": 10}},
        {"id": "db", "kind": "service", "label": "DB", "x": 660, "y": 200,
         "params": {"workers": 1, "service_time_ms": 4}},
    ],
    "edges": [{"id": "e1", "source": "users", "target": "api-1", "params": {"latency_ms": 2}},
              {"id": "e2", "source": "api-1", "target": "db", "params": {"latency_ms": 2}}],
    "settings": {"duration_s": 120, "warmup_s": 0, "seed": 5},
}  # fmt: skip

TOUR = [
    {"text": "Watch the queue in front of the API.", "highlight": ["api-1"]},
    {"text": "What happens to the DB queue?", "highlight": ["db"],
     "question": {"prompt": "With twice the load, the DB queue will…",
                  "choices": ["shrink", "grow", "stay the same"], "answer": 1}},
    {"text": "Crash the DB.", "highlight": ["db"],
     "action": {"fault": {"action": "crash", "node": "db"}}},
    {"text": "Back to 5 s.", "action": {"run_to": 5}},
]  # fmt: skip

# Centre of the visible flow region and the zoom: equal on both sides when they show the same.
VIEW_JS = """() => {
  const vp = document.querySelector('.react-flow__viewport');
  const m = new DOMMatrixReadOnly(getComputedStyle(vp).transform);
  const r = document.querySelector('[data-testid=canvas]').getBoundingClientRect();
  return {cx: (r.width / 2 - m.e) / m.a, cy: (r.height / 2 - m.f) / m.a, zoom: m.a};
}"""


def _selected(page: Page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('.react-flow__node.selected')].map(n => n.dataset.id).sort()"
    )


def _same_view(presenter: Page, student: Page) -> bool:
    a, b = presenter.evaluate(VIEW_JS), student.evaluate(VIEW_JS)
    return (
        abs(a["cx"] - b["cx"]) < 2
        and abs(a["cy"] - b["cy"]) < 2
        and abs(a["zoom"] / b["zoom"] - 1) < 0.35  # the student's canvas is wider: zoom fits it
    )


def _wait(page: Page, condition, timeout_s: float = 1.0) -> None:
    """Poll a Python condition (it may read both pages) until true, within `timeout_s`."""
    for _ in range(int(timeout_s / 0.05) + 1):
        if condition():
            return
        page.wait_for_timeout(50)
    assert condition()


def _pan(page: Page, dx: int, dy: int) -> None:
    box = page.get_by_test_id("canvas").bounding_box()
    x, y = box["x"] + 300, box["y"] + box["height"] - 120
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=4)
    page.mouse.move(x + dx, y + dy, steps=4)
    page.mouse.up()


def _playhead(page: Page) -> float:
    return page.evaluate("window.__topolab.playhead")


def _start_presenting(page: Page, base: str) -> str:
    created = page.request.post(f"{base}/api/scenarios", data=SCENARIO)
    assert created.status == 201, created.text()
    body = created.json()
    # As its author (edit token in the fragment): the tour's fault actions need the edit right.
    page.goto(base + body["share_url"] + "#edit=" + body["edit_token"])
    expect(page.get_by_test_id("node-api-1")).to_be_visible()
    page.get_by_test_id("present-button").click()
    page.get_by_test_id("tour-input").fill("[{]")
    page.get_by_test_id("present-start").click()
    expect(page.get_by_test_id("present-error")).to_contain_text("not valid JSON")
    page.get_by_test_id("tour-input").fill(json.dumps([{"text": "x", "highlight": ["nope"]}]))
    page.get_by_test_id("present-start").click()
    expect(page.get_by_test_id("present-error")).to_contain_text(
        "tour[0].highlight: unknown node 'nope'"
    )
    page.get_by_test_id("tour-input").fill(json.dumps(TOUR))
    page.get_by_test_id("present-start").click()
    expect(page.get_by_test_id("presenter-code")).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    token = page.evaluate("sessionStorage.getItem('topolab:presenting')")
    assert json.loads(token)["token"] not in page.url
    return page.get_by_test_id("join-link").input_value()


def _selection_latency(presenter: Page, student: Page, samples: int = 20) -> list[float]:
    """ms from the presenter's pointerdown on a node to the student's node turning selected."""
    presenter.evaluate("""() => {
      window.__downs = [];
      document.addEventListener('pointerdown', () => window.__downs.push(Date.now()), true);
    }""")
    student.evaluate("""() => {
      window.__seen = [];
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target;
          const on = el.classList.contains('selected') && !(r.oldValue || '').includes('selected');
          if (el.classList.contains('react-flow__node') && on) {
            window.__seen.push([el.dataset.id, Date.now()]);
          }
        }
      }).observe(document.querySelector('.react-flow__nodes'), {
        subtree: true, attributes: true, attributeFilter: ['class'], attributeOldValue: true,
      });
    }""")
    latencies = []
    for i in range(samples):
        node = ("users", "db")[i % 2]
        presenter.get_by_test_id(f"node-{node}").click()
        _wait(student, lambda node=node: _selected(student) == [node], 2.0)
        down = presenter.evaluate("window.__downs[window.__downs.length - 1]")
        seen = student.evaluate(f"window.__seen.filter(s => s[0] === '{node}').pop()[1]")
        latencies.append(seen - down)
    return latencies


def _follow_selection_and_view(presenter: Page, student: Page) -> None:
    expect(student.get_by_test_id("follow-bar")).to_contain_text("Following the presenter")
    expect(presenter.get_by_test_id("audience-count")).to_have_text("1")
    # Follow mode is read-only and has no run, speed or fault controls.
    expect(student.get_by_test_id("run-button")).to_be_hidden()
    expect(student.get_by_test_id("speed")).to_be_hidden()
    expect(student.get_by_test_id("present-button")).to_have_count(0)
    presenter.get_by_test_id("node-api-1").click()
    _wait(student, lambda: _selected(student) == ["api-1"])
    _pan(presenter, 180, -90)
    _wait(student, lambda: _same_view(presenter, student))


def _follow_the_run(presenter: Page, student: Page) -> str:
    presenter.get_by_test_id("run-button").click()
    student.wait_for_function("window.__topolab.phase === 'running'", timeout=20_000)
    student.wait_for_function("window.__topolab.tokensDrawnTotal > 50", timeout=20_000)
    presenter.wait_for_function("window.__topolab.playhead > 3", timeout=30_000)
    run_id = presenter.evaluate("window.__topolab.runId")
    assert run_id
    assert student.evaluate("window.__topolab.runId") == run_id
    assert abs(_playhead(presenter) - _playhead(student)) < 1.0
    expect(student.get_by_test_id("fault-bar")).to_be_hidden()  # a node is selected, still none
    return run_id


def _late_joiner_catches_up(
    browser: Browser, presenter: Page, join_link: str, run_id: str, artifacts: Path
) -> None:
    """A smaller window joining mid-run: same run, selection, region and time at once."""
    late = browser.new_page(viewport={"width": 1280, "height": 760}, bypass_csp=True)
    try:
        late.goto(join_link)
        late.wait_for_function(f"window.__topolab.runId === '{run_id}'", timeout=10_000)
        _wait(late, lambda: _selected(late) == ["api-1"] and _same_view(presenter, late), 3)
        _wait(late, lambda: abs(_playhead(presenter) - _playhead(late)) < 1.0, 5)
        late.screenshot(path=str(artifacts / "classroom-late-joiner.png"))
    finally:
        late.close()
    expect(presenter.get_by_test_id("audience-count")).to_have_text("1")


def _pause_detach_reattach(presenter: Page, student: Page) -> None:
    presenter.get_by_test_id("pause-button").click()
    presenter.wait_for_timeout(600)
    held = _playhead(presenter)
    _wait(student, lambda: abs(_playhead(student) - held) < 0.3, 2)
    student.wait_for_timeout(500)
    assert abs(_playhead(student) - held) < 0.3  # paused too
    # Detach: the student explores; the presenter's moves no longer apply until Re-attach.
    student.get_by_test_id("detach-button").click()
    _pan(student, -250, 60)
    presenter.get_by_test_id("node-db").click()
    student.wait_for_timeout(800)
    assert _selected(student) == ["api-1"]
    assert not _same_view(presenter, student)
    student.get_by_test_id("reattach-button").click()
    _wait(student, lambda: _selected(student) == ["db"] and _same_view(presenter, student))
    presenter.get_by_test_id("pause-button").click()  # resume


def _tour_and_quiz(presenter: Page, student: Page, artifacts: Path) -> None:
    presenter.get_by_test_id("tour-next").click()
    expect(student.get_by_test_id("tour-text")).to_have_text(TOUR[0]["text"])
    node = "document.querySelector('.react-flow__node[data-id=\"api-1\"]')"
    student.wait_for_function(f"getComputedStyle({node}).outlineStyle === 'solid'", timeout=2_000)
    presenter.get_by_test_id("tour-next").click()
    expect(student.get_by_test_id("quiz")).to_contain_text("the DB queue will")
    student.get_by_test_id("quiz-choice-1").click()
    expect(student.get_by_test_id("quiz-answered")).to_be_visible()
    expect(presenter.get_by_test_id("answer-count")).to_have_text("1")
    presenter.screenshot(path=str(artifacts / "classroom-presenter-quiz.png"))
    presenter.get_by_test_id("reveal-button").click()
    for p in (presenter, student):
        expect(p.get_by_test_id("tally-bar-1")).to_have_attribute("data-count", "1")
        expect(p.get_by_test_id("tally-bar-0")).to_have_attribute("data-count", "0")
    student.screenshot(path=str(artifacts / "classroom-student-reveal.png"))
    # Tour actions run in the presenter's studio; the student sees their effect.
    presenter.get_by_test_id("tour-next").click()
    expect(student.get_by_test_id("node-db")).to_contain_text("down", timeout=20_000)
    presenter.get_by_test_id("tour-next").click()
    presenter.wait_for_function("Math.abs(window.__topolab.playhead - 5) < 0.3", timeout=5_000)
    _wait(student, lambda: abs(_playhead(student) - 5) < 0.3, 3)


def _end(presenter: Page, student: Page, artifacts: Path) -> None:
    presenter.once("dialog", lambda d: d.accept())
    presenter.get_by_test_id("end-session").click()
    expect(student.get_by_test_id("session-ended")).to_contain_text("The session has ended")
    expect(presenter.get_by_test_id("session-ended")).to_be_visible()
    expect(student.get_by_test_id("node-db")).to_be_visible()  # the read-only copy stays
    assert presenter.evaluate("sessionStorage.getItem('topolab:presenting')") is None
    student.screenshot(path=str(artifacts / "classroom-student-ended.png"))


def test_presenter_and_student(live_stack, browser: Browser, artifacts: Path) -> None:
    pctx = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    sctx = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    presenter, student = pctx.new_page(), sctx.new_page()
    errors: list[str] = []
    for p in (presenter, student):
        p.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        join_link = _start_presenting(presenter, live_stack.base_url)
        student.goto(join_link)
        _follow_selection_and_view(presenter, student)
        run_id = _follow_the_run(presenter, student)
        _late_joiner_catches_up(browser, presenter, join_link, run_id, artifacts)
        presenter.screenshot(path=str(artifacts / "classroom-presenter.png"))
        student.screenshot(path=str(artifacts / "classroom-student.png"))
        _pause_detach_reattach(presenter, student)

        latencies = _selection_latency(presenter, student)
        median, worst = statistics.median(latencies), max(latencies)
        print(
            f"\nselection latency over {len(latencies)} samples: median {median:.0f} ms, "
            f"max {worst:.0f} ms; all {sorted(latencies)}"
        )
        assert worst < 1000, latencies

        _tour_and_quiz(presenter, student, artifacts)
        _end(presenter, student, artifacts)
        assert errors == []
    finally:
        pctx.close()
        sctx.close()


def test_presenter_reload_keeps_the_session(live_stack, browser: Browser) -> None:
    """The token stays in this tab's sessionStorage: a reload presents the same session again."""
    pctx = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    sctx = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    presenter, student = pctx.new_page(), sctx.new_page()
    try:
        base = live_stack.base_url
        created = presenter.request.post(f"{base}/api/scenarios", data=SCENARIO)
        presenter.goto(base + created.json()["share_url"])
        presenter.get_by_test_id("present-button").click()
        presenter.get_by_test_id("present-start").click()
        code = presenter.get_by_test_id("presenter-code").inner_text()
        student.goto(presenter.get_by_test_id("join-link").input_value())
        expect(presenter.get_by_test_id("audience-count")).to_have_text("1")
        presenter.reload()
        expect(presenter.get_by_test_id("presenter-code")).to_have_text(code)
        expect(presenter.get_by_test_id("audience-count")).to_have_text("1")
        presenter.get_by_test_id("node-users").click()
        _wait(student, lambda: _selected(student) == ["users"], 2)
        expect(presenter.get_by_test_id("tour-panel")).to_have_count(0)  # no tour given
    finally:
        pctx.close()
        sctx.close()
