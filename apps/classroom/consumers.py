"""The classroom websocket ``/ws/sessions/<code>``: one presenter drives, students follow.

Everyone connects as a student and first receives ``welcome`` with the latest stored state (a
late joiner catches up from the database, not from the channel layer). The presenter proves
itself with ``{"type": "hello", "presenter_token": ...}`` as its first message (never in the
URL: URLs end up in logs). Presenter updates are stored, then fanned out to the session group;
students may only ``answer`` and ``ping`` — anything else gets an ``error`` and the socket
stays open. The presenter alone hears the ``audience`` count and answer counts (its own group,
so 300 joins do not cost 300 × 300 messages).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from apps.classroom import fanout, services
from apps.classroom.protocol import (
    PRESENTER_ONLY,
    BadMessage,
    _int,
    check_fields,
    decode,
    state_update,
)
from apps.classroom.tour import public_step
from apps.runs.broadcaster import dumps

_CLOSE_NOT_FOUND = 4404
_CLOSE_TOO_MANY_TRIES = 4403
_MAX_HELLO_FAILURES = 5
_MAX_FAULT_BYTES = 2048

_db = database_sync_to_async


class SessionConsumer(AsyncWebsocketConsumer):
    """One participant's connection."""

    channel_layer_alias = "classroom"  # Redis pub/sub: one delivery per process (settings)

    session_id: int | None = None
    code: str = ""
    role: str = "student"
    counted: bool = False
    hello_failures: int = 0

    @property
    def group(self) -> str:
        return fanout.session_group(self.code)

    @property
    def presenters(self) -> str:
        return f"classroom.{self.code}.presenter"

    async def connect(self) -> None:
        await self.accept()
        session = await _db(services.live_session)(str(self.scope["url_route"]["kwargs"]["code"]))
        if session is None:
            await self._error("no live session with this code")
            await self.close(code=_CLOSE_NOT_FOUND)
            return
        self.session_id, self.code = session.pk, session.code
        await fanout.join(self.group, self, self.channel_layer_alias)
        self.counted = True
        await self._audience(+1)
        session = await _db(services.session_snapshot)(self.session_id)
        await self._send({"type": "welcome", "role": "student", **self._view(session)})

    async def disconnect(self, code: int) -> None:
        if self.session_id is None:
            return
        await fanout.leave(self.group, self)
        if self.role == "presenter":
            await self.channel_layer.group_discard(self.presenters, self.channel_name)
        if self.counted:
            self.counted = False
            await self._audience(-1)

    def _view(self, session: Any, presenter: bool = False) -> dict[str, Any]:
        """What a (re)joining participant needs: state, current step, revealed tallies."""
        step = session.step
        view: dict[str, Any] = {
            "code": session.code,
            "scenario_id": session.scenario_id,
            "state": session.state,
            "steps": len(session.tour),
            "step": step,
            "step_content": public_step(session.tour, step)
            if 0 <= step < len(session.tour)
            else None,
            "revealed": session.revealed,
        }
        if presenter:
            view["tour"] = session.tour
            view["audience"] = session.audience
        return view

    async def _audience(self, delta: int) -> None:
        count = await _db(services.audience_add)(self.session_id, delta)
        await self.channel_layer.group_send(
            self.presenters,
            {"type": "classroom.send", "text": dumps({"type": "audience", "count": count})},
        )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.session_id is None:
            return
        try:
            message = decode(text_data)
            kind = message["type"]
            if kind in PRESENTER_ONLY and self.role != "presenter":
                raise BadMessage(f"only the presenter may send {kind!r}; you are following")
            await getattr(self, f"on_{kind}")(message)
        except BadMessage as exc:
            await self._error(str(exc))

    async def on_ping(self, message: dict[str, Any]) -> None:
        await self._send({"type": "pong"})

    async def on_hello(self, message: dict[str, Any]) -> None:
        check_fields(message, {"presenter_token"})
        if self.role == "presenter":
            raise BadMessage("hello: already the presenter")
        session = await _db(services.session_snapshot)(self.session_id)
        if session is None or not services.is_presenter(session, message.get("presenter_token")):
            self.hello_failures += 1
            if self.hello_failures >= _MAX_HELLO_FAILURES:
                await self._error("too many wrong presenter tokens")
                await self.close(code=_CLOSE_TOO_MANY_TRIES)
                return
            raise BadMessage("hello: wrong presenter token; you stay a student")
        self.role = "presenter"
        await self.channel_layer.group_add(self.presenters, self.channel_name)
        if self.counted:  # the audience counts students only
            self.counted = False
            await self._audience(-1)
        session = await _db(services.session_snapshot)(self.session_id)
        await self._send({"type": "welcome", "role": "presenter", **self._view(session, True)})

    async def on_state(self, message: dict[str, Any]) -> None:
        update, sent_at = state_update(message)
        state = await _db(services.state_merge)(self.session_id, update)
        out: dict[str, Any] = {"type": "state", "state": state, "update": update}
        if sent_at is not None:
            out["sent_at"] = sent_at
        await self._broadcast(out)

    async def on_speed(self, message: dict[str, Any]) -> None:
        check_fields(message, {"value"})
        update, _ = state_update({"type": "state", "speed": message.get("value")})
        await _db(services.state_merge)(self.session_id, update)
        await self._broadcast({"type": "speed", "value": update["speed"]})

    async def on_fault(self, message: dict[str, Any]) -> None:
        check_fields(message, {"fault"})
        fault = message.get("fault")
        if not isinstance(fault, dict) or not isinstance(fault.get("action"), str):
            raise BadMessage("fault: must be an object with an 'action'")
        if len(dumps(fault)) > _MAX_FAULT_BYTES:
            raise BadMessage(f"fault: larger than {_MAX_FAULT_BYTES} bytes")
        await self._broadcast({"type": "fault", "fault": fault})

    async def on_step(self, message: dict[str, Any]) -> None:
        check_fields(message, {"step"})
        session = await _db(services.session_snapshot)(self.session_id)
        step = _int(message.get("step"), "step", 0, max(len(session.tour) - 1, 0))
        if not session.tour:
            raise BadMessage("step: this session has no tour")
        await _db(services.step_set)(self.session_id, step)
        await _db(services.state_merge)(self.session_id, {"tour_step": step})
        content = public_step(session.tour, step)
        await self._broadcast({"type": "step", "step": step, "content": content}, echo=True)

    async def on_reveal(self, message: dict[str, Any]) -> None:
        check_fields(message, {"step"})
        session = await _db(services.session_snapshot)(self.session_id)
        step = _int(message.get("step"), "step", 0, max(len(session.tour) - 1, 0))
        question = session.tour[step].get("question") if session.tour else None
        if not question:
            raise BadMessage(f"reveal: step {step} has no question")
        counts = await _db(services.tally)(self.session_id, step, len(question["choices"]))
        out = {
            "type": "reveal",
            "step": step,
            "tally": counts,
            "total": sum(counts),
            "answer": question.get("answer"),
        }
        await self._broadcast(out, echo=True)

    async def on_answer(self, message: dict[str, Any]) -> None:
        check_fields(message, {"step", "choice"})
        if self.role == "presenter":
            raise BadMessage("answer: the presenter does not answer")
        session = await _db(services.session_snapshot)(self.session_id)
        step = _int(message.get("step"), "step", 0, 1000)
        if step != session.step:
            raise BadMessage(f"answer: step {step} is not the current step ({session.step})")
        question = session.tour[step].get("question")
        if not question:
            raise BadMessage(f"answer: step {step} has no question")
        if str(step) in session.revealed:
            raise BadMessage(f"answer: step {step} was already revealed")
        choice = _int(message.get("choice"), "choice", 0, len(question["choices"]) - 1)
        stored, count = await _db(services.answer_record)(
            self.session_id, step, self._voter(), choice
        )
        if not stored:
            raise BadMessage(f"answer: you already answered step {step}")
        await self._send({"type": "answered", "step": step, "choice": choice})
        await self.channel_layer.group_send(
            self.presenters,
            {
                "type": "classroom.send",
                "text": dumps({"type": "answers", "step": step, "count": count}),
            },
        )

    def _voter(self) -> str:
        # The browser session when there is one (a reload does not give a second vote).
        session = self.scope.get("session")
        key = getattr(session, "session_key", None) if session is not None else None
        return f"s:{key}" if key else f"c:{self.channel_name}"

    async def _broadcast(self, message: dict[str, Any], echo: bool = False) -> None:
        event = {"type": "classroom.send", "text": dumps(message)}
        if not echo:
            event["exclude"] = self.channel_name
        await self.channel_layer.group_send(self.group, event)

    async def classroom_send(self, event: dict[str, Any]) -> None:
        """A message to this consumer's own groups (the presenters'): forward its text."""
        await self.deliver(event)

    async def deliver(self, event: dict[str, Any]) -> None:
        """A session broadcast (from the process relay): forward it unless we sent it; an
        ``ended`` broadcast carries ``close`` and closes every socket after the message."""
        if event.get("exclude") != self.channel_name:
            await self.send(text_data=event["text"])
        if event.get("close"):
            await self.close(code=int(event["close"]))

    async def _send(self, message: dict[str, Any]) -> None:
        await self.send(text_data=dumps(message))

    async def _error(self, error: str) -> None:
        await self._send({"type": "error", "error": error, "details": []})
