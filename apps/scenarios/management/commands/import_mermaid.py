"""``manage.py import_mermaid FILE``: a Mermaid flowchart -> a topolab/1 scenario on stdout.

Exit 0 with the scenario JSON; exit 2 with one line on stderr when the file cannot be read or is
not a usable flowchart. Nodes imported as plain services are listed on stderr as warnings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.scenarios.mermaid import MAX_BYTES, MermaidError, mermaid_to_scenario

EXIT_INVALID = 2


def _fail(message: str) -> CommandError:
    return CommandError(message.replace("\n", " "), returncode=EXIT_INVALID)


class Command(BaseCommand):
    requires_system_checks: ClassVar[list[str]] = []  # a pure conversion: stdout/stderr stay clean
    help = "Convert a Mermaid graph/flowchart into a topolab/1 scenario JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Mermaid file (graph/flowchart)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()[: MAX_BYTES + 1]
        except OSError as exc:
            raise _fail(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _fail(f"{path} is not UTF-8 text") from None
        try:
            scenario, flagged = mermaid_to_scenario(text, name=path.stem or "Imported from Mermaid")
        except MermaidError as exc:
            raise _fail(f"invalid Mermaid: {exc}") from None
        for item in flagged:
            self.stderr.write(f"warning: {item['id']}: {item['reason']}")
        self.stdout.write(json.dumps(scenario, indent=2))
