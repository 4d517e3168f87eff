"""Websocket route of classroom sessions (mounted by config/asgi.py)."""

from django.urls import path

from apps.classroom.consumers import SessionConsumer

websocket_urlpatterns = [
    path("ws/sessions/<str:code>", SessionConsumer.as_asgi()),
]
