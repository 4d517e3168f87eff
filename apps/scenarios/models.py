"""A saved scenario: the validated topolab/1 JSON plus who may edit it.

Two random identifiers: ``id`` for the API and ``slug`` for the share link, so a share link can
later be revoked or rotated without breaking API clients. Neither is guessable (enumeration must
not reveal other people's scenarios). Edit rights are a token (stored hashed, shown once) or the
creator's browser session (stored hashed) or a user.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o/1/l: ids get read aloud in classes


def new_scenario_id() -> str:
    """12 characters of a 32-letter alphabet: 60 random bits."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(12))


def new_share_slug() -> str:
    """16 url-safe characters: 96 random bits."""
    return secrets.token_urlsafe(12)


class Scenario(models.Model):
    """One saved topology; ``data`` always passed ``apps.engine.parse_scenario``."""

    id = models.CharField(primary_key=True, max_length=16, default=new_scenario_id, editable=False)
    slug = models.CharField(max_length=32, unique=True, default=new_share_slug, editable=False)
    name = models.CharField(max_length=200, blank=True)
    data = models.JSONField()
    revision = models.PositiveIntegerField(default=1)
    edit_token_hash = models.CharField(max_length=64)
    owner_session_hash = models.CharField(max_length=64, blank=True, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scenarios",
    )
    forked_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name or 'untitled'} ({self.id})"

    @property
    def share_url(self) -> str:
        """The path of the studio page on this scenario (the contract fixes ``/s/<slug>``)."""
        return f"/s/{self.slug}"
