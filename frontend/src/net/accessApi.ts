// Edit rights of a saved scenario: rotate or revoke the edit token, rotate the share link
// (apps/scenarios/access_api.py). Each call proves the right with the stored edit token when
// there is one, else the creating browser session (its cookie) does.
import { forgetEditToken, loadEditToken, request, storeEditToken } from "./api";

const path = (id: string, what: string): string => `/api/scenarios/${encodeURIComponent(id)}/${what}`;

function proof(id: string): Record<string, string> {
  const token = loadEditToken(id);
  return token ? { "X-Edit-Token": token } : {};
}

/** A new edit token; the old one (and every edit link made from it) stops working. */
export async function rotateEditToken(id: string): Promise<string> {
  const { edit_token } = await request<{ edit_token: string }>("POST", path(id, "edit-token"), {}, proof(id));
  storeEditToken(id, edit_token);
  return edit_token;
}

/** No edit link works any more; this browser keeps editing through its session. */
export async function revokeEditToken(id: string): Promise<void> {
  await request<unknown>("DELETE", path(id, "edit-token"), undefined, proof(id));
  forgetEditToken(id);
}

/** A new view link; the old `/s/<slug>` answers 404 from now on. */
export const rotateShareLink = (id: string): Promise<{ slug: string; share_url: string }> =>
  request<{ slug: string; share_url: string }>("POST", path(id, "share-link"), {}, proof(id));

/** The link that lets someone edit: the token rides in the fragment, never sent to a server. */
export function editLink(shareUrl: string, token: string, base: string = location.href): string {
  const url = new URL(shareUrl, base);
  url.hash = `edit=${token}`;
  return url.toString();
}
