// Share: save the scenario (if needed) and show its links, ready to copy. The view link opens
// read-only (anyone can run and fork); the edit link carries the edit token in the fragment and
// lets whoever has it edit. Both can be replaced, and edit links stopped, from here.
import { useEffect, useRef, useState } from "react";
import { loadEditToken } from "../net/api";
import { editLink, revokeEditToken, rotateEditToken, rotateShareLink } from "../net/accessApi";
import type { ScenarioJson } from "../model/serialize";
import { Icon } from "./Icon";
import type { RunController } from "./runController";

interface Links { id: string; view: string; edit: string | null }

function linksOf(id: string, shareUrl: string): Links {
  const token = loadEditToken(id);
  return { id, view: new URL(shareUrl, location.href).toString(), edit: token ? editLink(shareUrl, token) : null };
}

function LinkRow({ label, value, testId, hint }: { label: string; value: string; testId: string; hint: string }) {
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setCopied(false), [value]);
  const copy = (): void => {
    input.current?.select();
    void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => undefined);
  };
  return (
    <label className="sharebox__row" title={hint}>
      <span className="sharebox__label">{label}</span>
      <input ref={input} readOnly data-testid={testId} value={value} aria-label={label} onFocus={(e) => e.target.select()} />
      <button type="button" className="btn btn--small" onClick={copy}>{copied ? "Copied" : "Copy"}</button>
    </label>
  );
}

export function ShareBox({ controller, scenario, onClose }: { controller: RunController; scenario: () => ScenarioJson; onClose: () => void }) {
  const [links, setLinks] = useState<Links | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const get = useRef(scenario);

  useEffect(() => {
    let live = true;
    controller.save(get.current()).then(
      (s) => live && (s.shareUrl ? setLinks(linksOf(s.id, s.shareUrl)) : setError("the server gave no share link")),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [controller]);

  const act = (what: () => Promise<Links>): void => {
    setBusy(true);
    setError(null);
    what().then(setLinks, (e: unknown) => setError(e instanceof Error ? e.message : String(e))).finally(() => setBusy(false));
  };
  const newEditLink = (l: Links) => act(async () => {
    await rotateEditToken(l.id);
    return linksOf(l.id, new URL(l.view).pathname);
  });
  const stopEditLinks = (l: Links) => act(async () => {
    await revokeEditToken(l.id);
    return linksOf(l.id, new URL(l.view).pathname);
  });
  const newViewLink = (l: Links) => act(async () => {
    const { share_url } = await rotateShareLink(l.id);
    controller.relinked(share_url);
    return linksOf(l.id, share_url);
  });

  return (
    <div className="sharebox" role="dialog" aria-label="Share">
      {links ? (
        <div className="sharebox__links">
          <LinkRow label="View link" value={links.view} testId="share-link" hint="Opens read-only: anyone with it can run and fork" />
          {links.edit ? <LinkRow label="Edit link" value={links.edit} testId="edit-link" hint="Lets whoever has it edit: share it only with co-authors" /> : null}
          <div className="sharebox__actions">
            <button type="button" className="btn btn--small" data-testid="rotate-edit-link" disabled={busy} onClick={() => newEditLink(links)}
              title="Make a new edit link; the old one stops working">{links.edit ? "New edit link" : "Make an edit link"}</button>
            {links.edit ? <button type="button" className="btn btn--small" data-testid="revoke-edit-link" disabled={busy} onClick={() => stopEditLinks(links)}
              title="No edit link works any more; this browser still edits">Stop edit links</button> : null}
            <button type="button" className="btn btn--small" data-testid="rotate-view-link" disabled={busy} onClick={() => newViewLink(links)}
              title="Make a new view link; the old one stops opening this scenario">New view link</button>
          </div>
        </div>
      ) : error ? null : <span className="sharebox__label">Saving…</span>}
      {error ? <span className="sharebox__error" role="alert">{error}</span> : null}
      <button type="button" className="icon-btn" onClick={onClose} aria-label="Close"><Icon name="close" /></button>
    </div>
  );
}
