"""URL routes: the API, the studio pages, the health check and the admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.defaults import page_not_found

from apps.classroom.views import join_form, join_session
from apps.scenarios.views import healthz, studio
from apps.sharing.views import LoginView, LogoutView, embed, me, moment
from config.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", studio, name="studio"),
    path("s/<str:slug>", studio, name="studio-scenario"),
    path("r/<str:run_id>", moment, name="run-moment"),
    path("embed/<str:slug>", embed, name="embed"),
    path("me", me, name="me"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("join", join_form, name="classroom-join-form"),
    path("join/<str:code>", join_session, name="classroom-join"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Unknown ``/api/`` paths answer in the API's error shape; pages get Django's 404."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not found", "details": []}, status=404)
    return page_not_found(request, exception)


handler404 = not_found
