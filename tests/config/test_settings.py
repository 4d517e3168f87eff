"""Settings come from the environment alone; production passes `check --deploy` clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "t0p0lab-Test-Secret-Key-With-Enough-Entropy-8fJ2kq9Zx4Lm7Np3Qr6Ws1Vy5",
    "ALLOWED_HOSTS": "topolab.example.org",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    full.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=full, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_passes_clean_with_production_env():
    out = _manage("check", "--deploy", "--fail-level", "WARNING", **PROD_ENV)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_production_without_secret_key_refuses_to_start():
    out = _manage("check", DEBUG="false", ALLOWED_HOSTS="x.example")
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def test_a_bad_value_refuses_to_start():
    out = _manage("check", DEBUG="maybe")
    assert out.returncode != 0
    assert "DEBUG" in out.stderr


def test_redis_py_8_defaults_are_overridden_for_the_channel_layer():
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    host = config["hosts"][0]
    assert host["address"] == settings.REDIS_URL
    assert host["socket_timeout"] > 5  # channels_redis blocks 5 s in BZPOPMIN
    assert host["max_connections"] > 100
    assert config["capacity"] > 100


def test_celery_is_safe_for_long_idempotent_tasks():
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.RUN_SOFT_LIMIT_S < settings.RUN_HARD_LIMIT_S < visibility
    assert "reconcile-runs" in settings.CELERY_BEAT_SCHEDULE


def test_upload_limit_is_aligned_with_the_scenario_limit():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.MAX_SCENARIO_BYTES


def test_celery_app_is_exposed_and_finds_the_tasks():
    from config import celery_app

    assert celery_app.main == "topolab"
    celery_app.loader.import_default_modules()
    assert {"apps.runs.tasks.execute_run", "apps.runs.tasks.reconcile_runs"} <= set(
        celery_app.tasks
    )
