// Who may edit the scenario a page opens. The server decides from the session or user it can
// see; an edit token is never in the query string (URLs end up in logs): a fork hands it over in
// the URL fragment (`#edit=<token>`, which browsers never send), the page moves it into
// localStorage, strips it from the address bar, and proves it with the X-Edit-Token header.
import { loadEditToken, storeEditToken } from "../net/api";
import { canEditScenario } from "../net/shareApi";
import type { BootData } from "../studio/boot";

const CHECK_TIMEOUT_MS = 5000;

/** The token in a fragment such as `#edit=abc` (other fragment keys are left alone). */
export function editTokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const token = params.get("edit");
  return token && /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : null;
}

/** The fragment without `edit=...`, or "" when nothing else was there. */
export function hashWithoutToken(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  params.delete("edit");
  const rest = params.toString();
  return rest ? `#${rest}` : "";
}

/** The address of a freshly forked scenario, carrying its edit token in the fragment. */
export function forkedUrl(shareUrl: string, token: string): string {
  return `${shareUrl}#edit=${encodeURIComponent(token)}`;
}

/** Moves a fragment token into storage; returns the boot data with edit rights proven. */
export async function resolveEditRights(boot: BootData): Promise<BootData> {
  const id = boot.scenarioId;
  if (!id) return boot;
  const fromHash = editTokenFromHash(location.hash);
  if (fromHash) {
    storeEditToken(id, fromHash);
    history.replaceState(history.state, "", location.pathname + location.search + hashWithoutToken(location.hash));
  }
  if (boot.canEdit || boot.replay || boot.embed) return boot; // replays and embeds are views
  const token = fromHash ?? loadEditToken(id);
  if (!token) return boot;
  try {
    // The page waits for this answer before it mounts: give up after a few seconds.
    const late = new Promise<boolean>((_, fail) => setTimeout(() => fail(new Error("timeout")), CHECK_TIMEOUT_MS));
    return { ...boot, canEdit: await Promise.race([canEditScenario(id, token), late]) };
  } catch {
    return boot; // offline or gone: open read-only, as the server said
  }
}
