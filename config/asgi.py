"""ASGI entry point: HTTP goes to Django, websockets to the Channels consumers.

Run with ``.venv/bin/daphne -b 127.0.0.1 -p 8000 config.asgi:application``.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Build the Django ASGI app first: it calls django.setup(), which populates the app registry.
# The consumers below import models; importing them before setup raises AppRegistryNotReady.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from apps.classroom.routing import websocket_urlpatterns as classroom_ws  # noqa: E402
from apps.runs.routing import websocket_urlpatterns  # noqa: E402
from config.origin import AllowedHostsOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns + classroom_ws))
        ),
    }
)
