"""A classroom Session (a join code, a presenter secret, the latest shared state, a tour) and
the students' quiz Answers.

The presenter token is shown once and stored as SHA-256; the code is short and read aloud, so
it is unique only among live sessions (``ended_at`` null) and drawn from an unambiguous
alphabet. The latest presenter state lives on the row, so a late joiner on any Daphne process
catches up from the database; the channel layer only carries live updates.
"""

from __future__ import annotations

import secrets

from django.db import models

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read aloud
CODE_LENGTH = 6


def new_code() -> str:
    """6 characters of a 31-letter alphabet: about 887 million codes (29.7 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Session(models.Model):
    """One classroom session on one scenario."""

    code = models.CharField(max_length=CODE_LENGTH, default=new_code)
    scenario = models.ForeignKey(
        "scenarios.Scenario", on_delete=models.CASCADE, related_name="classroom_sessions"
    )
    presenter_token_hash = models.CharField(max_length=64)
    state = models.JSONField(default=dict, blank=True)
    tour = models.JSONField(default=list, blank=True)
    step = models.IntegerField(default=-1)  # current tour step, -1 before the first
    revealed = models.JSONField(default=dict, blank=True)  # step (str) -> tally shown
    audience = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("code",),
                condition=models.Q(ended_at__isnull=True),
                name="classroom_session_live_code_unique",
            ),
        )

    def __str__(self) -> str:
        return f"session {self.code}"

    @property
    def join_url(self) -> str:
        return f"/join/{self.code}"


class Answer(models.Model):
    """One student's answer to one tour step's question (one per student per step)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="answers")
    step = models.PositiveIntegerField()
    voter = models.CharField(max_length=128)
    choice = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("session", "step", "voter"), name="classroom_answer_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.session_id} step {self.step}: {self.choice}"
