"""The registry of node kinds: scenario `kind` name -> runtime class.

Adding a kind is one module (a `Node` subclass with `KIND`, `Params` and `result()`), one line
in `_KINDS` below and one test file. The scenario model (scenario.py) builds its discriminated
union of node types from this registry, so the JSON Schema follows automatically.
"""

from __future__ import annotations

from apps.engine.kinds.api_gateway import ApiGateway
from apps.engine.kinds.base import Node
from apps.engine.kinds.client import Client
from apps.engine.kinds.load_balancer import LoadBalancer
from apps.engine.kinds.registry import Registry
from apps.engine.kinds.service import Service
from apps.engine.kinds.sidecar import Sidecar

_KINDS: tuple[type[Node], ...] = (
    Client,
    Service,
    LoadBalancer,
    Sidecar,
    Registry,
    ApiGateway,
)

KINDS: dict[str, type[Node]] = {cls.KIND: cls for cls in _KINDS}

__all__ = ["KINDS", "Node"]
