// Faults by click during a live run: crash / restart / slow the selected node, cut / restore
// the selected edge, partition the selected nodes (click, Ctrl+click or Shift+drag a box) from
// the rest and heal. Commands go over the run socket and land at the next frame boundary.
import type { ControlMsg } from "../net/protocol";
import type { Focus } from "../editor/selection";
import { partitionGroups } from "./partition";

export interface FaultBarProps {
  focus: Focus;
  live: boolean;
  lastControl: string | null;
  down: boolean;
  onControl: (cmd: Omit<ControlMsg, "type">) => void;
  /** Selected node ids and the nodes of the running scenario (for a partition). */
  selectedNodes?: readonly string[];
  runNodes?: readonly string[];
  /** A partition was sent and not healed yet: offer Heal whatever is selected. */
  partitioned?: boolean;
}

export function FaultBar({ focus, live, lastControl, down, onControl, selectedNodes = [], runNodes = [], partitioned = false }: FaultBarProps) {
  const groups = partitionGroups(selectedNodes, runNodes);
  if (!live || (focus.type === "scene" && !groups && !partitioned)) return null;
  const b = (label: string, testId: string, cmd: Omit<ControlMsg, "type">, title: string) => (
    <button type="button" className="btn btn--fault" data-testid={testId} title={title} onClick={() => onControl(cmd)}>{label}</button>
  );
  return (
    <div className="fault-bar" role="toolbar" aria-label="Inject a fault" data-testid="fault-bar">
      <span className="fault-bar__title">Break it:</span>
      {focus.type === "node" ? (
        <>
          {down
            ? b("Restart", "fault-restart", { action: "restart", node: focus.id }, "Bring the node back up")
            : b("Crash", "fault-crash", { action: "crash", node: focus.id }, "Stop the node: requests to it fail")}
          {b("Slow ×5", "fault-slow", { action: "slow", node: focus.id, factor: 5 }, "Service times × 5")}
          {b("Normal", "fault-normal", { action: "slow", node: focus.id, factor: 1 }, "Back to normal speed")}
        </>
      ) : focus.type === "edge" ? (
        <>
          {b("Cut", "fault-cut", { action: "cut", edge: focus.id }, "Drop every message on this link")}
          {b("Restore", "fault-restore", { action: "restore", edge: focus.id }, "Reconnect the link")}
        </>
      ) : null}
      {groups ? b(`Partition ${groups[0].length} | ${groups[1].length}`, "fault-partition", { action: "partition", groups },
        "Split the network: the selected nodes on one side, every other node on the other (Shift+drag selects a group)") : null}
      {partitioned ? b("Heal", "fault-heal", { action: "heal" }, "Join the partitioned network again") : null}
      {lastControl ? <span className="fault-bar__last" role="status" data-testid="fault-status">{lastControl}</span> : null}
    </div>
  );
}
