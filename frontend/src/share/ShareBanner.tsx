// The notice under the header on pages the viewer may not edit: a moment replay (loads the run's
// log and parks the playhead at the link's time) or someone else's share link. Both offer Fork:
// a copy of one's own, opened where it can be edited.
import { useEffect, useState } from "react";
import { storeEditToken } from "../net/api";
import { fetchRunLog, forkRun, forkScenario } from "../net/shareApi";
import type { ScenarioJson } from "../model/serialize";
import type { BootData } from "../studio/boot";
import type { RunController } from "../studio/runController";
import { forkedUrl } from "./editRights";

export interface ShareBannerProps {
  boot: BootData;
  readOnly: boolean;
  controller: RunController;
  /** What ran (a replay) or the scenario shown: read once when the replay loads. */
  scenario: () => ScenarioJson;
}

type Load = { state: "loading" } | { state: "ready"; frames: number } | { state: "error"; message: string };

function useReplayLoad(boot: BootData, controller: RunController, scenario: () => ScenarioJson): Load | null {
  const [load, setLoad] = useState<Load | null>(boot.replay ? { state: "loading" } : null);
  const replay = boot.replay;
  useEffect(() => {
    if (!replay) return;
    let live = true;
    fetchRunLog(replay.runId).then((log) => {
      if (!live) return;
      if (log.length === 0) {
        setLoad({ state: "error", message: "this run has no stored frames yet" });
        return;
      }
      controller.replay(scenario(), replay.runId, log, replay.t);
      setLoad({ state: "ready", frames: log.filter((m) => m.type === "frame").length });
    }, (e: unknown) => live && setLoad({ state: "error", message: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
    // The replay loads once per page; the scenario getter is read at that moment only.
  }, [replay, controller]);
  return load;
}

export function ShareBanner({ boot, readOnly, controller, scenario }: ShareBannerProps) {
  const load = useReplayLoad(boot, controller, scenario);
  const [forking, setForking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!readOnly && !boot.replay) return null;

  const fork = (): void => {
    if (!boot.scenarioId) return;
    setForking(true);
    setError(null);
    // A replay forks what ran: the scenario may have been edited since.
    const forked = boot.replay ? forkRun(boot.replay.runId) : forkScenario(boot.scenarioId);
    forked.then((saved) => {
      if (saved.edit_token) storeEditToken(saved.id, saved.edit_token);
      location.assign(saved.edit_token ? forkedUrl(saved.share_url, saved.edit_token) : saved.share_url);
    }, (e: unknown) => {
      setForking(false);
      setError(`Could not fork: ${e instanceof Error ? e.message : String(e)}`);
    });
  };

  const replay = boot.replay;
  return (
    <div className="share-banner" role="status" data-testid={replay ? "replay-banner" : "read-only-banner"}>
      {replay ? (
        <span>
          Replay of a stored run at <strong data-testid="replay-at">{replay.t.toFixed(1)} s</strong>
          {load?.state === "loading" ? " · loading its frames…" : null}
          {load?.state === "ready" ? ` · ${load.frames} frames · press Resume to play on` : null}
        </span>
      ) : (
        <span>View only: you can run this scenario and watch it; fork it to make your own editable copy.</span>
      )}
      {replay?.message ? <span className="share-banner__warn" data-testid="moment-message">{replay.message}</span> : null}
      {load?.state === "error" ? <span className="share-banner__warn" data-testid="replay-error">Could not load the run: {load.message}</span> : null}
      {error ? <span className="share-banner__warn" role="alert">{error}</span> : null}
      {readOnly && boot.scenarioId ? (
        <button type="button" className="btn btn--primary btn--small" data-testid="fork-button" onClick={fork} disabled={forking}>
          {forking ? "Forking…" : "Fork"}
        </button>
      ) : null}
    </div>
  );
}
