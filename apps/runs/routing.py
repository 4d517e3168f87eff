"""Websocket routes (mounted by config/asgi.py behind origin and auth middleware)."""

from django.urls import path

from apps.runs.consumers import RunConsumer

websocket_urlpatterns = [
    path("ws/runs/<uuid:run_id>", RunConsumer.as_asgi()),
]
