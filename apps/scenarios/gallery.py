"""The pattern templates gallery: scenario files under ``templates_data/``.

Each file is a topolab/1 scenario plus a top-level ``"meta": {"title", "description"}`` that is
stripped before validation; the file name (without ``.json``) is the template's name. The files
are read once per process: they ship with the code.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_data"


@dataclass(frozen=True)
class Template:
    """One gallery entry: its name, what it teaches, and the scenario JSON."""

    name: str
    title: str
    description: str
    scenario: dict[str, Any]

    def summary(self) -> dict[str, str]:
        """The ``{"name", "title", "description"}`` listing entry."""
        return {"name": self.name, "title": self.title, "description": self.description}


def _load(path: Path) -> Template:
    raw = json.loads(path.read_text(encoding="utf-8"))
    meta = raw.pop("meta")
    return Template(
        name=path.stem, title=meta["title"], description=meta["description"], scenario=raw
    )


@functools.cache
def _catalog() -> dict[str, Template]:
    return {path.stem: _load(path) for path in sorted(TEMPLATES_DIR.glob("*.json"))}


def template_list() -> list[Template]:
    """Every template, sorted by name."""
    return list(_catalog().values())


def template_get(name: str) -> Template | None:
    """The template called ``name`` (with a private copy of its scenario), or ``None``."""
    template = _catalog().get(name)
    if template is None:
        return None
    return Template(
        name=template.name,
        title=template.title,
        description=template.description,
        scenario=copy.deepcopy(template.scenario),
    )
