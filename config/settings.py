"""Django settings for Topolab, read from the environment alone (see ``.env.example``).

Every value comes through ``config.env`` so a bad value stops start-up with a clear message.
Development needs no variables at all; production needs DEBUG=false, SECRET_KEY and
ALLOWED_HOSTS (and ideally DATABASE_URL and REDIS_URL).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# --- Core -------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", True)

# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
# Required in production; development gets a fixed key so sessions survive restarts.
if DEBUG:
    SECRET_KEY = env.str(
        "SECRET_KEY", "topolab-dev-only-secret-key-not-for-production-3f9a1c7e5b2d"
    )
else:
    SECRET_KEY = env.str("SECRET_KEY")

_DEV_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", _DEV_HOSTS if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is false")

# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-trusted-origins
# Needed only when the site is reached through an origin Django cannot infer (e.g. a proxy).
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Daphne first: its runserver replaces Django's so `manage.py runserver` serves websockets.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    # Listed so /api/docs serves Swagger UI from our static files, not a CDN (CSP allows 'self').
    "ninja",
    "apps.scenarios",
    "apps.runs",
    "apps.reports",
    "apps.classroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # https://whitenoise.readthedocs.io/en/stable/django.html#enable-whitenoise
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

# https://github.com/jazzband/dj-database-url#url-schema
# SQLite in var/ by default; PostgreSQL with DATABASE_URL=postgres://user:pass@host:5432/name.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env.str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'topolab.sqlite3'}")
# https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
CONN_MAX_AGE = env.int("CONN_MAX_AGE", 60, minimum=0)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_MAX_AGE > 0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
    # Daphne, the worker and the reconciler write concurrently: WAL lets readers run during a
    # write, IMMEDIATE takes the write lock up front (no deadlock-prone lock upgrades), and the
    # busy timeout waits for it instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, Channels --------------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", "redis://127.0.0.1:6379/0")

# redis-py 8 defaults bite long-lived consumers: a 5 s socket timeout races channels_redis's 5 s
# BZPOPMIN and drops idle consumers (https://github.com/django/channels_redis/issues/422), and
# pools default to 100 connections. Both are set explicitly here.
REDIS_SOCKET_TIMEOUT_S = env.float("REDIS_SOCKET_TIMEOUT_S", 30.0, minimum=6.0)
REDIS_MAX_CONNECTIONS = env.int("REDIS_MAX_CONNECTIONS", 1000, minimum=10)

# https://channels.readthedocs.io/en/stable/topics/channel_layers.html#redis-channel-layer
# https://github.com/django/channels_redis#capacity
# Each host dict is passed to redis.asyncio.ConnectionPool.from_url(address, **rest).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": REDIS_URL,
                    "socket_timeout": REDIS_SOCKET_TIMEOUT_S,
                    "socket_connect_timeout": 5,
                    "socket_keepalive": True,
                    "health_check_interval": 15,
                    "max_connections": REDIS_MAX_CONNECTIONS,
                }
            ],
            "prefix": env.str("CHANNEL_LAYER_PREFIX", "topolab"),
            # Messages per channel before group_send silently drops (default 100). The
            # broadcaster batches ~4 messages a second, so this is minutes of backlog.
            "capacity": env.int("CHANNEL_LAYER_CAPACITY", 500, minimum=10),
            # Seconds an undelivered message lives; the RunFrame log covers anything older.
            "expiry": env.int("CHANNEL_LAYER_EXPIRY_S", 30, minimum=1),
            "group_expiry": 86400,
        },
    }
}

# Classroom sessions (apps.classroom) fan one presenter update out to hundreds of students.
# Redis pub/sub delivers a group_send once per Daphne process, which then fans out locally;
# the default layer would push and pop one Redis message per student. At-most-once is fine
# there: the latest state is on the Session row and every (re)joiner starts from it.
# https://github.com/django/channels_redis#redispubsubchannellayer
CHANNEL_LAYERS["classroom"] = {
    "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "CONFIG": {
        "hosts": CHANNEL_LAYERS["default"]["CONFIG"]["hosts"],
        "prefix": env.str("CHANNEL_LAYER_PREFIX", "topolab") + ".classroom",
    },
}

# Run viewers (apps.runs) too: a batch is one Redis message per Daphne process instead of one
# per viewer, which is most of the cost of a class watching one run (docs/reliability.md).
# The RunFrame log is the record, so at-most-once delivery is fine: consumers fill gaps from it.
CHANNEL_LAYERS["runs"] = {
    "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "CONFIG": {
        "hosts": CHANNEL_LAYERS["default"]["CONFIG"]["hosts"],
        "prefix": env.str("CHANNEL_LAYER_PREFIX", "topolab") + ".runs",
    },
}

# --- Celery -----------------------------------------------------------------------------------

# https://docs.celeryq.dev/en/stable/userguide/configuration.html (read with namespace CELERY_)
RUN_SOFT_LIMIT_S = env.int("RUN_SOFT_LIMIT_S", 600, minimum=1)
RUN_HARD_LIMIT_S = env.int("RUN_HARD_LIMIT_S", 660, minimum=1)
CELERY_VISIBILITY_TIMEOUT_S = env.int("CELERY_VISIBILITY_TIMEOUT_S", 3600, minimum=1)
if not RUN_SOFT_LIMIT_S < RUN_HARD_LIMIT_S < CELERY_VISIBILITY_TIMEOUT_S:
    # A visibility timeout shorter than a task re-delivers it while it still runs.
    raise ImproperlyConfigured(
        "need RUN_SOFT_LIMIT_S < RUN_HARD_LIMIT_S < CELERY_VISIBILITY_TIMEOUT_S"
    )

# The worker ends a run at RUN_SOFT_LIMIT_S itself, between two frames (apps.runs.services);
# Celery's soft limit, an exception raised wherever the run is, only backs that up, halfway to
# the hard limit, which kills the pool child.
RUN_BACKSTOP_LIMIT_S = (RUN_SOFT_LIMIT_S + RUN_HARD_LIMIT_S) / 2

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", REDIS_URL)
# https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT_S,
    "socket_timeout": REDIS_SOCKET_TIMEOUT_S,
    "socket_connect_timeout": 5,
    "socket_keepalive": True,
    "health_check_interval": 15,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Publishing gives up quickly so the API can answer 503 instead of hanging on a dead broker.
# https://docs.celeryq.dev/en/stable/userguide/calling.html#message-sending-retry
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# https://docs.celeryq.dev/en/stable/userguide/tasks.html#Task.acks_late
# acks_late alone loses the task when a pool child dies; reject_on_worker_lost re-queues it and
# the DB claim in run_execute makes the second delivery a no-op.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = RUN_BACKSTOP_LIMIT_S
CELERY_TASK_TIME_LIMIT = RUN_HARD_LIMIT_S
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
RECONCILE_EVERY_S = env.float("RECONCILE_EVERY_S", 15.0, minimum=1.0)
CELERY_BEAT_SCHEDULE = {
    "reconcile-runs": {"task": "apps.runs.tasks.reconcile_runs", "schedule": RECONCILE_EVERY_S},
}

# Run lifecycle: heartbeats, stale-run detection and re-queueing (apps.runs.services).
RUN_HEARTBEAT_S = env.float("RUN_HEARTBEAT_S", 3.0, minimum=0.1)
RUN_STALE_AFTER_S = env.float("RUN_STALE_AFTER_S", 30.0, minimum=1.0)
RUN_REQUEUE_AFTER_S = env.float("RUN_REQUEUE_AFTER_S", 120.0, minimum=1.0)
RUN_MAX_ATTEMPTS = env.int("RUN_MAX_ATTEMPTS", 3, minimum=1)
# Frame batching adapts to the audience (apps.runs.broadcaster): the log is flushed and fanned
# out every max(RUN_FLUSH_INTERVAL_S, viewers / RUN_FANOUT_PER_S) seconds, at most
# RUN_FLUSH_MAX_S, so one Daphne keeps up with a class (docs/reliability.md).
RUN_FLUSH_INTERVAL_S = env.float("RUN_FLUSH_INTERVAL_S", 0.1, minimum=0.0)
RUN_FLUSH_MAX_S = env.float("RUN_FLUSH_MAX_S", 0.6, minimum=0.0)
RUN_FANOUT_PER_S = env.float("RUN_FANOUT_PER_S", 1000.0, minimum=1.0)

# Per-viewer limits on the run websocket (apps.runs.flow): unsent bytes Daphne may hold for one
# viewer before it is treated as lagging, seconds it may lag before it is closed (4008), and the
# inbound token bucket (messages per second, burst) beyond which a socket is closed (1008).
RUN_VIEWER_BUFFER_BYTES = env.int("RUN_VIEWER_BUFFER_BYTES", 1024 * 1024, minimum=1024)
RUN_VIEWER_STALL_S = env.float("RUN_VIEWER_STALL_S", 15.0, minimum=0.5)
RUN_SOCKET_RATE = env.float("RUN_SOCKET_RATE", 20.0, minimum=1.0)
RUN_SOCKET_BURST = env.float("RUN_SOCKET_BURST", 60.0, minimum=1.0)

# --- Request limits ---------------------------------------------------------------------------

# A 100 000-node topology is ~8 MB; 2 MiB keeps the default comfortably above realistic use.
MAX_SCENARIO_BYTES = env.int("MAX_SCENARIO_BYTES", 2 * 1024 * 1024, minimum=1024)
# https://docs.djangoproject.com/en/5.2/ref/settings/#data-upload-max-memory-size
# Aligned so Django itself refuses (RequestDataTooBig -> our 413) anything the API would refuse.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_SCENARIO_BYTES

# --- Security ---------------------------------------------------------------------------------

# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
_PROD = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", _PROD)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", _PROD)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", _PROD)
# https://docs.djangoproject.com/en/5.2/ref/middleware/#http-strict-transport-security
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000 if _PROD else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _PROD)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", _PROD)
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
# Set to "HTTP_X_FORWARDED_PROTO,https" only behind a proxy that sets that header itself.
_proxy_header = env.list("SECURE_PROXY_SSL_HEADER", [])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if _proxy_header else None
if SECURE_PROXY_SSL_HEADER is not None and len(SECURE_PROXY_SSL_HEADER) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be 'HEADER,value'")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The front end reads the csrftoken cookie to send X-CSRFToken, so it stays readable by JS.
CSRF_COOKIE_HTTPONLY = False

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# https://whitenoise.readthedocs.io/en/stable/django.html#add-compression-and-caching-support
# Not the Manifest variant: the Vite bundle has fixed names and may be absent while the page must
# still render (a manifest storage raises for unknown files).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_USE_FINDERS
# Serve straight from static/ so `make run` works without collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG

# --- I18N, auth, logging ----------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOG_LEVEL = env.str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}
