// Boot data the Django page embeds: <script id="topolab-boot" type="application/json">.
import { isRecord } from "../model/serialize";
import { readReplay, type ReplayBoot } from "../share/shareBoot";

export interface BootData {
  scenarioId: string | null;
  slug: string | null;
  scenario: unknown;
  canEdit: boolean;
  /** The saved revision the page was rendered from (the If-Match of the first save). */
  revision: number | null;
  /** On /join/<code>: the classroom session this page follows (apps/classroom/views.py). */
  session: { code: string; wsUrl: string; steps: number } | null;
  /** A moment link (`/r/<run_id>?t=`): replay this stored run, paused at `t`. */
  replay: ReplayBoot | null;
  /** The iframe-able player (`/embed/<slug>`). */
  embed: boolean;
}

export function readBoot(doc: Document = document): BootData {
  const el = doc.getElementById("topolab-boot");
  let data: unknown = null;
  try {
    data = el?.textContent ? JSON.parse(el.textContent) : null;
  } catch {
    data = null;
  }
  const d = isRecord(data) ? data : {};
  const id = d.scenario_id;
  return {
    scenarioId: typeof id === "string" || typeof id === "number" ? String(id) : null,
    slug: typeof d.slug === "string" ? d.slug : null,
    scenario: d.scenario ?? null,
    canEdit: d.can_edit !== false,
    revision: typeof d.revision === "number" ? d.revision : null,
    session: sessionOf(d.session),
    replay: readReplay(d.replay),
    embed: d.embed === true,
  };
}

function sessionOf(v: unknown): BootData["session"] {
  if (!isRecord(v) || typeof v.code !== "string" || typeof v.ws_url !== "string") return null;
  return { code: v.code, wsUrl: v.ws_url, steps: typeof v.steps === "number" ? v.steps : 0 };
}
