"""The registry of node kinds: scenario `kind` name -> runtime class.

Adding a kind is one module (a `Node` subclass with `KIND`, `Params` and `result()`), one line
in `_KINDS` below and one test file. The scenario model (scenario.py) builds its discriminated
union of node types from this registry, so the JSON Schema follows automatically. The order
here is the order of the palette and of `result["protocols"]`.
"""

from __future__ import annotations

from apps.engine.kinds.api_gateway import ApiGateway
from apps.engine.kinds.base import Node
from apps.engine.kinds.broker import Broker
from apps.engine.kinds.cache import Cache
from apps.engine.kinds.client import Client
from apps.engine.kinds.database import Database
from apps.engine.kinds.event_store import EventStore
from apps.engine.kinds.load_balancer import LoadBalancer
from apps.engine.kinds.paxos_multi import MultiPaxosNode
from apps.engine.kinds.paxos_node import PaxosNode
from apps.engine.kinds.peer import Peer
from apps.engine.kinds.raft_server import RaftServer
from apps.engine.kinds.read_model import ReadModel
from apps.engine.kinds.registry import Registry
from apps.engine.kinds.replica import Replica
from apps.engine.kinds.rpc_server import RpcServer
from apps.engine.kinds.saga_orchestrator import SagaOrchestrator
from apps.engine.kinds.saga_participant import SagaParticipant
from apps.engine.kinds.service import Service
from apps.engine.kinds.shard_router import ShardRouter
from apps.engine.kinds.sidecar import Sidecar
from apps.engine.kinds.tracker import Tracker

_KINDS: tuple[type[Node], ...] = (
    # request / response
    Client,
    Service,
    LoadBalancer,
    ApiGateway,
    Sidecar,
    Registry,
    # data
    Database,
    Cache,
    ShardRouter,
    # messaging, events, CQRS, sagas
    Broker,
    EventStore,
    ReadModel,
    SagaOrchestrator,
    SagaParticipant,
    # replication and consistency
    Replica,
    RpcServer,
    # peer-to-peer
    Peer,
    Tracker,
    # consensus
    RaftServer,
    PaxosNode,
    MultiPaxosNode,
)

KINDS: dict[str, type[Node]] = {cls.KIND: cls for cls in _KINDS}

__all__ = ["KINDS", "Node"]
