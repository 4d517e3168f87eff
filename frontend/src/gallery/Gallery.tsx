// The pattern gallery: every engine template as a card (title, one line, a thumbnail of its
// topology). Choosing one loads it as a new, editable scenario.
import { useEffect, useRef, useState } from "react";
import { fromScenario } from "../model/serialize";
import type { Scene } from "../model/types";
import { fetchTemplate, fetchTemplates, type TemplateInfo } from "../net/api";
import { Thumbnail } from "./Thumbnail";

export interface GalleryPick { info: TemplateInfo; scene: Scene }

interface Card { info: TemplateInfo; scene: Scene | null }

export function Gallery({ onPick, onClose }: { onPick: (p: GalleryPick) => void; onClose: () => void }) {
  const [cards, setCards] = useState<Card[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  useEffect(() => {
    let live = true;
    fetchTemplates()
      .then(async (list) => {
        const scenes = await Promise.all(list.map((t) => fetchTemplate(t.name).then(fromScenario).catch(() => null)));
        if (live) setCards(list.map((info, i) => ({ info, scene: scenes[i] ?? null })));
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, []);
  return (
    <div className="help-backdrop" onClick={onClose} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div className="gallery" role="dialog" aria-modal="true" aria-labelledby="gallery-title" data-testid="gallery"
        onClick={(e) => e.stopPropagation()}>
        <div className="help-sheet__head">
          <h2 id="gallery-title">Pattern gallery</h2>
          <button ref={closeRef} type="button" className="btn" onClick={onClose}>Close</button>
        </div>
        {error ? <p className="sharebox__error">Could not load the templates: {error}</p> : null}
        {cards === null && !error ? <p className="panel-hint">Loading…</p> : null}
        <ul className="gallery__grid">
          {(cards ?? []).map(({ info, scene }) => (
            <li key={info.name}>
              <button type="button" className="gallery__card" data-testid={`template-${info.name}`} disabled={!scene}
                onClick={() => scene && onPick({ info, scene })}>
                {scene ? <Thumbnail scene={scene} title={`Topology of ${info.title}`} /> : <span className="thumb" />}
                <span className="gallery__title">{info.title}</span>
                <span className="gallery__desc">{firstLine(info.description)}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function firstLine(text: string): string {
  const sentence = text.split(/(?<=\.)\s/)[0] ?? text;
  return sentence.length > 140 ? `${sentence.slice(0, 137)}…` : sentence;
}
