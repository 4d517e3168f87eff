"""``manage.py simulate FILE [--seed N] [--duration S] [--json]``: one run, in-process.

No Redis, no worker, no database: the engine alone, so scripts and course pages can reproduce a
result exactly. Exit 0 with the result; exit 2 with one line on stderr when the file cannot be
read or the scenario is invalid.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.engine import LIMITS, ScenarioError, parse_scenario, simulate
from apps.scenarios.http import ApiError, loads_strict

EXIT_INVALID = 2


def _fail(message: str) -> CommandError:
    return CommandError(message.replace("\n", " "), returncode=EXIT_INVALID)


class Command(BaseCommand):
    help = "Simulate a scenario file in-process and print its result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="scenario JSON file (topolab/1)")
        parser.add_argument("--seed", type=int, default=None, help="override settings.seed")
        parser.add_argument(
            "--duration", type=float, default=None, help="override settings.duration_s (seconds)"
        )
        parser.add_argument("--json", action="store_true", help="print the full result JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        data = self._read(Path(options["file"]))
        seed, duration = options["seed"], options["duration"]
        if seed is not None and not 0 <= seed <= LIMITS["max_seed"]:
            raise _fail(f"--seed must be between 0 and {LIMITS['max_seed']}")
        if duration is not None and not 0 < duration <= LIMITS["max_duration_s"]:
            raise _fail(f"--duration must be > 0 and <= {LIMITS['max_duration_s']}")
        try:
            scenario = parse_scenario(data)
        except ScenarioError as exc:
            raise _fail(f"invalid scenario: {exc.message}") from None
        result = simulate(scenario, seed=seed, duration_s=duration)
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(self._summary(result))

    def _read(self, path: Path) -> Any:
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise _fail(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            return loads_strict(body)
        except ApiError as exc:
            raise _fail(f"{path}: {exc.error}") from None

    @staticmethod
    def _summary(result: dict[str, Any]) -> str:
        s = result["summary"]
        lat = s["latency_ms"]
        return (
            f"seed {result['seed']}, {result['sim_time_s']} s simulated in {result['wall_s']} s: "
            f"{s['completed']}/{s['requests']} completed, {s['throughput_rps']} rps, "
            f"latency p50 {lat['p50']} ms p99 {lat['p99']} ms"
        )
