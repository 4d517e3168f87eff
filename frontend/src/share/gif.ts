// A small animated-GIF (GIF89a) encoder: a fixed 256-colour palette (a 6×6×6 colour cube plus
// 40 greys, enough for the dark studio theme and the Okabe-Ito token colours), nearest-colour
// mapping through a 32 768-entry table (5 bits per channel), and variable-width LZW with clear
// codes. No dithering: diagrams are flat colours, and dithering would make frames noisy and big.

const CUBE = 6;
const GREYS = 40;

/** The fixed palette as 256 [r, g, b] triples. */
export const PALETTE: readonly (readonly [number, number, number])[] = (() => {
  const out: [number, number, number][] = [];
  for (let r = 0; r < CUBE; r++) for (let g = 0; g < CUBE; g++) for (let b = 0; b < CUBE; b++) out.push([r * 51, g * 51, b * 51]);
  for (let i = 0; i < GREYS; i++) {
    const v = Math.round(((i + 1) * 255) / (GREYS + 1));
    out.push([v, v, v]);
  }
  return out;
})();

let lookup: Uint8Array | null = null;

function nearest(r: number, g: number, b: number): number {
  let best = 0;
  let bestD = Infinity;
  PALETTE.forEach(([pr, pg, pb], i) => {
    const d = (pr - r) ** 2 + (pg - g) ** 2 + (pb - b) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

function table(): Uint8Array {
  if (lookup) return lookup;
  const t = new Uint8Array(1 << 15);
  // 5 -> 8 bits by bit replication (31 -> 255), so pure black and white map exactly.
  const up = (v: number): number => (v << 3) | (v >> 2);
  for (let i = 0; i < t.length; i++) t[i] = nearest(up(i >> 10), up((i >> 5) & 31), up(i & 31));
  lookup = t;
  return t;
}

/** RGBA pixels -> palette indexes. */
export function quantize(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const t = table();
  const out = new Uint8Array(rgba.length >> 2);
  for (let i = 0, p = 0; p < out.length; i += 4, p++) {
    out[p] = t[((rgba[i]! >> 3) << 10) | ((rgba[i + 1]! >> 3) << 5) | (rgba[i + 2]! >> 3)]!;
  }
  return out;
}

/** Growable byte buffer. */
class Bytes {
  buf = new Uint8Array(1 << 16);
  length = 0;
  push(b: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b;
  }
  word(w: number): void {
    this.push(w & 255);
    this.push((w >> 8) & 255);
  }
  text(s: string): void {
    for (let i = 0; i < s.length; i++) this.push(s.charCodeAt(i));
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** GIF LZW of 8-bit indexes: the code stream, packed LSB first, in 255-byte sub-blocks. */
export function lzw(indexes: Uint8Array, minCodeSize = 8): Uint8Array {
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  const packed = new Bytes();
  let bitBuf = 0;
  let bitLen = 0;
  let size = minCodeSize + 1;
  const emit = (code: number): void => {
    bitBuf |= code << bitLen;
    bitLen += size;
    while (bitLen >= 8) {
      packed.push(bitBuf & 255);
      bitBuf >>>= 8;
      bitLen -= 8;
    }
  };
  // Dictionary keyed by (prefix code << 8 | next byte); codes up to 4095.
  let dict = new Map<number, number>();
  let next = eoi + 1;
  emit(clear);
  let prefix = indexes.length ? indexes[0]! : -1;
  for (let i = 1; i < indexes.length; i++) {
    const k = indexes[i]!;
    const key = (prefix << 8) | k;
    const hit = dict.get(key);
    if (hit !== undefined) {
      prefix = hit;
      continue;
    }
    emit(prefix);
    if (next < 4096) {
      dict.set(key, next++);
      // The decoder widens one code later than we add, so widen once `next` passes the limit.
      if (next > 1 << size && size < 12) size++;
    } else {
      emit(clear);
      dict = new Map();
      next = eoi + 1;
      size = minCodeSize + 1;
    }
    prefix = k;
  }
  if (prefix >= 0) emit(prefix);
  emit(eoi);
  if (bitLen > 0) packed.push(bitBuf & 255);
  const data = packed.bytes();
  const out = new Bytes();
  out.push(minCodeSize);
  for (let i = 0; i < data.length; i += 255) {
    const n = Math.min(255, data.length - i);
    out.push(n);
    for (let j = 0; j < n; j++) out.push(data[i + j]!);
  }
  out.push(0);
  return out.bytes();
}

/** Collects frames (RGBA, all the same size) and writes one looping GIF89a. */
export class GifEncoder {
  private readonly out = new Bytes();
  frames = 0;

  constructor(readonly width: number, readonly height: number) {
    if (!(width >= 1 && height >= 1 && width <= 65535 && height <= 65535)) throw new Error(`bad GIF size ${width}×${height}`);
    const o = this.out;
    o.text("GIF89a");
    o.word(width);
    o.word(height);
    o.push(0xf7); // global colour table, 8 bits per primary, 2^(7+1) entries
    o.push(0); // background colour index
    o.push(0); // no aspect ratio
    for (const [r, g, b] of PALETTE) {
      o.push(r);
      o.push(g);
      o.push(b);
    }
    // NETSCAPE2.0 application extension: loop forever.
    o.push(0x21); o.push(0xff); o.push(11); o.text("NETSCAPE2.0"); o.push(3); o.push(1); o.word(0); o.push(0);
  }

  /** Adds a frame shown for `delayMs` (GIF stores hundredths of a second). */
  addFrame(rgba: Uint8ClampedArray | Uint8Array, delayMs: number): void {
    if (rgba.length !== this.width * this.height * 4) throw new Error("frame size differs from the GIF's");
    const o = this.out;
    o.push(0x21); o.push(0xf9); o.push(4); o.push(0); o.word(Math.max(2, Math.round(delayMs / 10))); o.push(0); o.push(0);
    o.push(0x2c); o.word(0); o.word(0); o.word(this.width); o.word(this.height); o.push(0);
    const data = lzw(quantize(rgba));
    for (let i = 0; i < data.length; i++) o.push(data[i]!);
    this.frames++;
  }

  finish(): Uint8Array {
    this.out.push(0x3b);
    return this.out.bytes();
  }
}
