// Boot data the Django page embeds: <script id="topolab-boot" type="application/json">.
import { isRecord } from "../model/serialize";

export interface BootData {
  scenarioId: string | null;
  slug: string | null;
  scenario: unknown;
  canEdit: boolean;
  /** The saved revision the page was rendered from (the If-Match of the first save). */
  revision: number | null;
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
  };
}
