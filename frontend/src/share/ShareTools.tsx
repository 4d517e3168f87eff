// The canvas toolbar's Results menu (reports once a run has finished, Compare, Sweep) and the
// dialogs it opens.
import { useState } from "react";
import type { SchemaSpec } from "../model/schema";
import { toScenario } from "../model/serialize";
import type { Scene } from "../model/types";
import type { BootData } from "../studio/boot";
import type { RunController, RunSnapshot } from "../studio/runController";
import { AnimationDialog } from "./AnimationDialog";
import { CompareDialog } from "./CompareDialog";
import { ReportMenu } from "./ReportMenu";
import { SweepDialog } from "./SweepDialog";

export interface ShareToolsProps {
  boot: BootData;
  run: RunSnapshot;
  controller: RunController;
  scene: Scene;
  schema: SchemaSpec;
}

type Open = "animation" | "compare" | "sweep" | null;

export function ShareTools({ boot, run, controller, scene, schema }: ShareToolsProps) {
  const [open, setOpen] = useState<Open>(null);
  const replayDone = boot.replay !== null && boot.replay.status === "done" && run.runId === boot.replay.runId;
  const finished = run.runId !== null && (run.phase === "done" || replayDone || (run.summary !== null && run.phase !== "failed"));
  const savedId = run.save?.id ?? null;
  const close = (): void => setOpen(null);
  return (
    <>
      <ReportMenu runId={finished ? run.runId : null} canCompare={savedId !== null} canSweep={scene.nodes.length > 0}
        onAnimation={() => setOpen("animation")} onCompare={() => setOpen("compare")} onSweep={() => setOpen("sweep")} />
      {open === "animation" && run.runId ? (
        <AnimationDialog runId={run.runId} scene={scene} runNodeIds={run.runNodes.map((n) => n.id)} end={run.duration}
          playhead={run.playhead} onClose={close} />
      ) : null}
      {open === "compare" && savedId ? <CompareDialog scenarioId={savedId} onClose={close} /> : null}
      {open === "sweep" ? (
        <SweepDialog scene={scene} schema={schema} onClose={close}
          scenarioId={async () => (await controller.save(toScenario(scene))).id} />
      ) : null}
    </>
  );
}
