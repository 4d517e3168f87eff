"""``manage.py templates [--json] [NAME]``: list the gallery, or print one template.

With NAME the output is a plain scenario JSON, so ``templates NAME > f.json && simulate f.json``
works.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.scenarios import gallery


class Command(BaseCommand):
    help = "List the pattern templates, or print one as scenario JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="print this template's scenario JSON")
        parser.add_argument(
            "--json", action="store_true", help='list as JSON: [{"name", "title", "description"}]'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if name:
            template = gallery.template_get(name)
            if template is None:
                known = ", ".join(t.name for t in gallery.template_list())
                raise CommandError(f"no template {name!r} (known: {known})", returncode=2)
            self.stdout.write(json.dumps(template.scenario, indent=2))
            return
        templates = gallery.template_list()
        if options["json"]:
            self.stdout.write(json.dumps([t.summary() for t in templates], indent=2))
            return
        width = max((len(t.name) for t in templates), default=0)
        for template in templates:
            self.stdout.write(f"{template.name:<{width}}  {template.title}")
