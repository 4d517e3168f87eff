// Where a node added by click (or keyboard) goes: the requested spot if it is free, else the
// nearest free cell of a grid around it, so new nodes never land on top of each other.
import type { Scene } from "../model/types";
import { NODE_SIZE } from "./dnd";

const GAP = { x: 56, y: 36 };

export function freeSpot(scene: Scene, at: { x: number; y: number }): { x: number; y: number } {
  const stepX = NODE_SIZE.width + GAP.x;
  const stepY = NODE_SIZE.height + GAP.y;
  const free = (p: { x: number; y: number }): boolean => scene.nodes.every((n) =>
    Math.abs(n.x - p.x) >= NODE_SIZE.width + 8 || Math.abs(n.y - p.y) >= NODE_SIZE.height + 8);
  for (let ring = 0; ring < 12; ring++) {
    // Right first (the direction requests flow), then below, above, left.
    const cells: Array<[number, number]> = [];
    for (let dy = -ring; dy <= ring; dy++) {
      for (let dx = -ring; dx <= ring; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) === ring) cells.push([dx, dy]);
      }
    }
    cells.sort((a, b) => score(a) - score(b));
    for (const [dx, dy] of cells) {
      const p = { x: Math.round(at.x + dx * stepX), y: Math.round(at.y + dy * stepY) };
      if (free(p)) return p;
    }
  }
  return at;
}

function score([dx, dy]: [number, number]): number {
  return Math.abs(dx) + Math.abs(dy) * 1.1 - (dx > 0 ? 0.5 : 0) + (dy < 0 ? 0.2 : 0);
}
