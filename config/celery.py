"""The Celery application: configuration comes from Django settings (namespace ``CELERY_``).

Start a worker with its embedded beat (the reconciler schedule) in development:
``.venv/bin/celery -A config worker -B -l info``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("topolab")
# https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
