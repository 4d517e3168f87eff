"""Guided tours carried by a scenario (`tour`, optional): the model and its checks.

Model: a tour is a list of steps an instructor advances and students follow. A step has text,
node ids to highlight, an optional action (exactly one of `{"run_to": seconds}` or `{"fault":
{...}}`, a live fault: the fault schema minus `at_s`, `"@leader"` allowed as in faults) and an
optional multiple-choice question whose `answer` indexes its choices. The simulation never reads
the tour: a scenario with and without one gives the same result, byte for byte.

Pydantic checks shapes and bounds; `check_tour` checks what needs the rest of the document
(highlighted nodes exist, the action's targets exist, exactly one action, the answer is one of
the choices) and names the step and field: `tour[2].highlight: unknown node 'x'`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from apps.engine.fault_models import AnyLiveFault
from apps.engine.kinds import KINDS
from apps.engine.params import LEADER, LIMITS, Id, Strict
from apps.engine.validation import ref_detail

Choice = Annotated[str, Field(min_length=1, max_length=200)]


class TourQuestion(Strict):
    """Predict, then reveal: students pick a choice, the presenter reveals the tally."""

    prompt: str = Field(min_length=1, max_length=500, description="The question students answer")
    choices: list[Choice] = Field(min_length=2, max_length=6, description="2 to 6 choices")
    answer: int | None = Field(
        None, ge=0, description="Index of the correct choice (kept from students until revealed)"
    )


class TourAction(Strict):
    """What taking the step does in the presenter's studio: exactly one of the two."""

    run_to: float | None = Field(
        None,
        gt=0,
        le=LIMITS["max_duration_s"],
        description="Run (or seek) to this simulated time, then pause",
        json_schema_extra={"x-unit": "s"},
    )
    fault: AnyLiveFault | None = Field(
        None, description="A live fault (a scheduled fault without at_s); node may be @leader"
    )


class TourStep(Strict):
    """One step of a guided tour."""

    text: str = Field(
        min_length=1, max_length=int(LIMITS["max_text_len"]), description="What to look at"
    )
    highlight: list[Id] = Field(
        default=[], max_length=50, description="Node ids outlined while on this step"
    )
    action: TourAction | None = Field(
        None, description="Taken when the presenter reaches the step: run_to or fault"
    )
    question: TourQuestion | None = Field(None, description="Predict, then reveal")


def check_tour(sc: Any) -> list[dict]:
    """Cross-document checks of `sc.tour`; details in the shape of validation.check_refs."""
    out: list[dict] = []
    nodes = {n.id for n in sc.nodes}
    edges = {e.id for e in sc.edges}
    consensus = any(KINDS[n.kind].CONSENSUS for n in sc.nodes)
    for i, step in enumerate(sc.tour):
        at = f"tour[{i}]"
        for ref in step.highlight:
            if ref not in nodes:
                out.append(_detail(f"{at}.highlight", f"unknown node '{ref}'"))
                break
        if step.action is not None:
            out.extend(_check_action(at, step.action, nodes, edges, consensus))
        q = step.question
        if q is not None and q.answer is not None and q.answer >= len(q.choices):
            out.append(
                _detail(
                    f"{at}.question.answer",
                    f"must index one of the {len(q.choices)} choices (0-{len(q.choices) - 1})",
                )
            )
    return out


def _check_action(
    at: str, action: TourAction, nodes: set, edges: set, consensus: bool
) -> list[dict]:
    if (action.run_to is None) == (action.fault is None):
        return [_detail(f"{at}.action", "must be exactly one of run_to or fault")]
    if action.run_to is not None:
        # Not checked against settings.duration_s: shortening a run must not invalidate its
        # tour (a step past the end simply plays to the end).
        return []
    fault = action.fault
    node = getattr(fault, "node", None)
    if node == LEADER and not consensus:
        return [
            _detail(
                f"{at}.action.fault.node",
                "'@leader' needs a consensus kind (e.g. raft_server) in the scenario",
            )
        ]
    if node is not None and node != LEADER and node not in nodes:
        return [_detail(f"{at}.action.fault.node", f"unknown node '{node}'")]
    edge = getattr(fault, "edge", None)
    if edge is not None and edge not in edges:
        return [_detail(f"{at}.action.fault.edge", f"unknown edge '{edge}'")]
    for g, group in enumerate(getattr(fault, "groups", None) or ()):
        unknown = [ref for ref in group if ref not in nodes]
        if unknown:
            return [_detail(f"{at}.action.fault.groups[{g}]", f"unknown node '{unknown[0]}'")]
    return []


def _detail(loc: str, msg: str) -> dict:
    return ref_detail(loc, None, None, loc, msg)


def tour_dicts(sc: Any) -> list[dict[str, Any]]:
    """The tour as plain JSON (what a classroom session stores), without unset fields."""
    return [step.model_dump(mode="json", exclude_none=True) for step in sc.tour]
