"""Applying faults and live commands to a running world.

Model: a fault is the scenario's fault object (or a live command: the same fields minus
`at_s`); `apply` changes the world at the current simulated time. crash / restart / slow act on
one node (crash of a down node and restart of an up node do nothing), cut / restore on one link,
partition splits nodes into groups (nodes not listed form one more group), heal joins them.
Scheduled faults run at priority 0, before model events of the same instant.
`"@leader"` resolves through the first node of a consensus kind (`CONSENSUS = True`): its
`leader()` names whoever leads at that instant (nothing between leaders: the fault does nothing);
for `restart`, its optional `downed_leader()` names the latest leader that is down, so
"crash @leader ... restart @leader" brings the crashed leader back. Scenario validation rejects
`"@leader"` when no consensus kind is present.
"""

from __future__ import annotations

from typing import Any

from apps.engine.kinds.base import Node, World

ACTIONS = ("crash", "restart", "slow", "partition", "heal", "cut", "restore")


def _get(f: Any, key: str) -> Any:
    return f.get(key) if isinstance(f, dict) else getattr(f, key, None)


def _node(world: World, ref: Any, action: Any = None) -> Node | None:
    if ref == "@leader":
        for node in world.nodes:
            if node.CONSENSUS:
                # restart @leader: the latest leader that is down (the current one is up)
                downed = getattr(node, "downed_leader", None)
                if action == "restart" and callable(downed):
                    return downed()
                return node.leader()  # type: ignore[attr-defined]
        return None
    return next((n for n in world.nodes if n.id == ref), None)


def apply(world: World, fault: Any) -> bool:
    """Apply one fault or live command; False when it named nothing that exists."""
    action = _get(fault, "action")
    if action in ("crash", "restart", "slow"):
        node = _node(world, _get(fault, "node"), action)
        if node is None:
            return False
        if action == "crash":
            node.crash()
        elif action == "restart":
            if not node.up:
                node.restart()
        else:
            factor = _get(fault, "factor")
            node.set_slow(float(factor) if isinstance(factor, int | float) and factor > 0 else 1.0)
        return True
    if action in ("cut", "restore"):
        link = next((lk for lk in world.links if lk.id == _get(fault, "edge")), None)
        if link is None:
            return False
        link.up = action == "restore"
        link.refresh()
        return True
    if action == "partition":
        by_id = {n.id: n for n in world.nodes}
        groups = _get(fault, "groups") or []
        world.net.set_partition(world.nodes, [[by_id[i] for i in g if i in by_id] for g in groups])
        return True
    if action == "heal":
        world.net.set_partition(world.nodes, None)
        return True
    return False
