// Saving the scene before a run or a share: POST the first time (keeping id and edit token),
// PUT afterwards (with If-Match on the revision we last saw), skip when nothing changed. A
// scenario the user may not edit (someone else's shared link), or one somebody else saved in
// the meantime (412), is saved as a new scenario of their own: local work is never dropped.
import {
  ApiError, createScenario, loadEditToken, storeEditToken, updateScenario, type SavedScenario,
} from "../net/api";
import type { ScenarioJson } from "../model/serialize";

export interface SaveState {
  id: string;
  shareUrl: string | null;
  canEdit: boolean;
  /** JSON text of what the server has, to skip saving an unchanged scene. */
  savedText: string | null;
  /** The server's revision of what we last loaded or saved (null: unknown, save unconditionally). */
  revision?: number | null;
  /** A view-only page (someone else's share link, a replay, an embed): runs use the stored scenario as is. */
  readOnly?: boolean;
}

export async function saveScenario(state: SaveState | null, scenario: ScenarioJson): Promise<SaveState> {
  const text = JSON.stringify(scenario);
  if (state?.readOnly) return state;
  if (state && state.canEdit && state.savedText === text) return state;
  if (state && state.canEdit) {
    try {
      const saved = await updateScenario(state.id, scenario, loadEditToken(state.id), state.revision ?? null);
      return {
        ...state, shareUrl: saved.share_url ?? state.shareUrl, savedText: text,
        revision: typeof saved.revision === "number" ? saved.revision : null,
      };
    } catch (e) {
      if (!(e instanceof ApiError && [403, 404, 412].includes(e.status))) throw e;
    }
  }
  return created(await createScenario(scenario), text);
}

function created(saved: SavedScenario, text: string): SaveState {
  if (saved.edit_token) storeEditToken(saved.id, saved.edit_token);
  return {
    id: saved.id, shareUrl: saved.share_url ?? null, canEdit: true, savedText: text,
    revision: typeof saved.revision === "number" ? saved.revision : null,
  };
}

/** Keeps the address bar on the saved scenario so a reload or a copied URL finds it again. */
export function showSavedUrl(state: SaveState): void {
  if (!state.shareUrl || state.readOnly) return; // a view (embed, replay) keeps its own address
  try {
    const target = new URL(state.shareUrl, location.href);
    if (target.origin === location.origin && target.pathname !== location.pathname) {
      history.replaceState(null, "", target.pathname + location.search);
    }
  } catch {
    /* an unparsable share_url is only not shown */
  }
}
