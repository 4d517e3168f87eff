"""Who may edit: rotate or revoke the edit token, rotate the share link (all need edit rights).

A leaked edit token is fixed by rotating it (the new one is shown once, the old one fails at
once) or revoking it (only the owner's session or account can edit after that). A share link
that went too far is fixed by rotating the slug: the old ``/s/<slug>`` answers 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from apps.scenarios.api import ErrorOut, editable_scenario_or_error
from apps.scenarios.services import edit_token_revoke, edit_token_rotate, share_link_rotate

router = Router(tags=["scenarios"])
_ERRORS = {403: ErrorOut, 404: ErrorOut}


class EditTokenOut(Schema):
    """The new edit token, shown this once."""

    edit_token: str


class ShareLinkOut(Schema):
    """The new share link."""

    slug: str
    share_url: str


@router.post("/scenarios/{scenario_id}/edit-token", response={201: EditTokenOut, **_ERRORS})
def rotate_edit_token(request: HttpRequest, scenario_id: str) -> Status:
    """Replace the edit token; the old one stops working."""
    scenario = editable_scenario_or_error(request, scenario_id)
    return Status(201, {"edit_token": edit_token_rotate(scenario=scenario)})


@router.delete("/scenarios/{scenario_id}/edit-token", response={204: None, **_ERRORS})
def revoke_edit_token(request: HttpRequest, scenario_id: str) -> Status:
    """No edit token works any more; the owner's session or account still edits."""
    scenario = editable_scenario_or_error(request, scenario_id)
    edit_token_revoke(scenario=scenario)
    return Status(204, None)


@router.post("/scenarios/{scenario_id}/share-link", response={201: ShareLinkOut, **_ERRORS})
def rotate_share_link(request: HttpRequest, scenario_id: str) -> Status:
    """A new ``/s/<slug>``; the old link answers 404 from now on."""
    scenario = share_link_rotate(scenario=editable_scenario_or_error(request, scenario_id))
    return Status(201, {"slug": scenario.slug, "share_url": scenario.share_url})
