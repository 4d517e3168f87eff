"""Guided tour steps (predict-then-reveal), validated strictly when a session is created.

Tours live with the classroom session rather than in the engine's scenario format: a step has
text, node ids to highlight, an optional action (``{"run_to": seconds}`` or ``{"fault":
{...}}``, a live command with the fault schema minus ``at_s``) and an optional multiple-choice
question whose correct answer stays on the server until the presenter reveals it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from apps.scenarios.http import ApiError

MAX_STEPS = 50


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Question(_Strict):
    prompt: str = Field(min_length=1, max_length=500)
    choices: list[str] = Field(min_length=2, max_length=6)
    answer: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _answer_in_range(self) -> Question:
        if any(not c or len(c) > 200 for c in self.choices):
            raise ValueError("each choice must be 1..200 characters")
        if self.answer is not None and self.answer >= len(self.choices):
            raise ValueError("answer must index one of the choices")
        return self


class Action(_Strict):
    run_to: float | None = Field(None, gt=0, le=3600)
    fault: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one(self) -> Action:
        if (self.run_to is None) == (self.fault is None):
            raise ValueError("an action is exactly one of run_to or fault")
        if self.fault is not None and not isinstance(self.fault.get("action"), str):
            raise ValueError("fault needs an 'action'")
        return self


class Step(_Strict):
    text: str = Field(min_length=1, max_length=2000)
    highlight: list[str] = Field(default_factory=list, max_length=50)
    action: Action | None = None
    question: Question | None = None


def validate_tour(raw: Any, node_ids: set[str]) -> list[dict[str, Any]]:
    """The tour as plain dicts; ApiError 400 naming the first bad step and field."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_STEPS:
        raise ApiError(400, f"tour: must be a list of at most {MAX_STEPS} steps")
    steps = []
    for i, item in enumerate(raw):
        try:
            step = Step.model_validate(item)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise ApiError(
                400,
                f"tour[{i}].{loc}: {err['msg']}".replace(". :", ":"),
                [{"loc": f"tour[{i}].{loc}", "msg": err["msg"]}],
            ) from None
        unknown = [n for n in step.highlight if n not in node_ids]
        if unknown:
            raise ApiError(400, f"tour[{i}].highlight: no node {unknown[0]!r} in the scenario")
        steps.append(step.model_dump(exclude_none=True))
    return steps


def public_step(tour: list[dict[str, Any]], k: int) -> dict[str, Any]:
    """Step ``k`` as students see it: without the correct answer."""
    step = dict(tour[k])
    if "question" in step:
        step["question"] = {key: v for key, v in step["question"].items() if key != "answer"}
    return step
