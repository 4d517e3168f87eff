"""The generated half of docs/scenario-format.md matches the engine's JSON Schema."""

from __future__ import annotations

from scripts.gen_docs import CATALOGUE, DOC, render, render_catalogue


def test_scenario_format_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/scenario-format.md is stale: run `make docs` (scripts/gen_docs.py) and commit it"
    )


def test_pattern_catalogue_lists_every_template():
    assert CATALOGUE.read_text(encoding="utf-8") == render_catalogue(), (
        "docs/patterns.md is stale: run `make docs` (scripts/gen_docs.py) and commit it"
    )
