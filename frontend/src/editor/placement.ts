// Where a node added by click (or keyboard) goes: the requested spot if it is free, else the
// next free cell of a grid to its right (then the rows around it), so new nodes never land
// on top of each other and a chain of clicks reads left to right.
import type { Scene } from "../model/types";
import { NODE_SIZE } from "./dnd";

const GAP = { x: 110, y: 40 };

export function freeSpot(scene: Scene, at: { x: number; y: number }): { x: number; y: number } {
  const stepX = NODE_SIZE.width + GAP.x;
  const stepY = NODE_SIZE.height + GAP.y;
  const free = (p: { x: number; y: number }): boolean => scene.nodes.every((n) =>
    Math.abs(n.x - p.x) >= NODE_SIZE.width + 8 || Math.abs(n.y - p.y) >= NODE_SIZE.height + 8);
  // Rightwards along the row first (the direction requests flow), then the rows below and above.
  for (const dy of [0, 1, -1, 2, -2, 3, -3, 4, -4]) {
    for (let dx = 0; dx < 6; dx++) {
      const p = { x: Math.round(at.x + dx * stepX), y: Math.round(at.y + dy * stepY) };
      if (free(p)) return p;
    }
  }
  return at;
}
