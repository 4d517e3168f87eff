// Faults by click during a live run: crash / restart / slow the selected node, cut / restore
// the selected edge. Commands go over the run socket and land at the next frame boundary.
import type { ControlMsg } from "../net/protocol";
import type { Focus } from "../editor/selection";

export interface FaultBarProps {
  focus: Focus;
  live: boolean;
  lastControl: string | null;
  down: boolean;
  onControl: (cmd: Omit<ControlMsg, "type">) => void;
}

export function FaultBar({ focus, live, lastControl, down, onControl }: FaultBarProps) {
  if (!live || focus.type === "scene") return null;
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
      ) : (
        <>
          {b("Cut", "fault-cut", { action: "cut", edge: focus.id }, "Drop every message on this link")}
          {b("Restore", "fault-restore", { action: "restore", edge: focus.id }, "Reconnect the link")}
        </>
      )}
      {lastControl ? <span className="fault-bar__last" role="status" data-testid="fault-status">{lastControl}</span> : null}
    </div>
  );
}
