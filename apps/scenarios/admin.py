"""Admin for scenarios: browse and delete; the JSON is edited through the studio, not here."""

from django.contrib import admin

from apps.scenarios.models import Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    """Read-mostly listing; tokens and hashes are never shown."""

    list_display = ("id", "name", "revision", "owner", "created_at", "updated_at")
    search_fields = ("id", "slug", "name")
    readonly_fields = ("id", "slug", "revision", "forked_from", "created_at", "updated_at")
    exclude = ("edit_token_hash", "owner_session_hash")
    list_select_related = ("owner",)
