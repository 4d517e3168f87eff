import { describe, expect, it } from "vitest";
import { GifEncoder, lzw, PALETTE, quantize } from "./gif";

/** A reference GIF LZW decoder (written from the GIF89a spec, appendix F) to check ours against. */
function unlzw(block: Uint8Array): number[] {
  const min = block[0]!;
  const data: number[] = [];
  for (let i = 1; block[i]! > 0; i += block[i]! + 1) data.push(...block.subarray(i + 1, i + 1 + block[i]!));
  const clear = 1 << min;
  const eoi = clear + 1;
  let size = min + 1;
  let dict: number[][] = [];
  const reset = (): void => {
    dict = Array.from({ length: clear }, (_, i) => [i]);
    dict.push([], []);
    size = min + 1;
  };
  reset();
  const out: number[] = [];
  let bit = 0;
  let prev: number[] | null = null;
  for (;;) {
    let code = 0;
    for (let k = 0; k < size; k++, bit++) code |= ((data[bit >> 3]! >> (bit & 7)) & 1) << k;
    if (code === clear) {
      reset();
      prev = null;
      continue;
    }
    if (code === eoi) break;
    let entry: number[];
    if (code < dict.length) entry = dict[code]!;
    else if (prev && code === dict.length) entry = [...prev, prev[0]!];
    else throw new Error(`bad code ${code} (dict ${dict.length})`);
    out.push(...entry);
    if (prev && dict.length < 4096) dict.push([...prev, entry[0]!]);
    if (dict.length === 1 << size && size < 12) size++;
    prev = entry;
  }
  return out;
}

describe("gif", () => {
  it("has 256 palette entries, exact for black, white and the cube", () => {
    expect(PALETTE).toHaveLength(256);
    expect([...quantize(new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 255]))]).toEqual([0, 215, 180]);
  });

  it("LZW round-trips short, repetitive and long noisy streams (past 4096 codes)", () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
    const cases = [
      new Uint8Array([5]),
      new Uint8Array(1000).fill(9),
      Uint8Array.from({ length: 3000 }, (_, i) => (i % 7) * 3),
      Uint8Array.from({ length: 40000 }, rnd),
    ];
    for (const c of cases) expect(unlzw(lzw(c))).toEqual([...c]);
  });

  it("writes a GIF89a with one image per frame and a loop", () => {
    const gif = new GifEncoder(4, 2);
    const red = new Uint8Array(4 * 2 * 4).map((_, i) => (i % 4 === 0 || i % 4 === 3 ? 255 : 0));
    gif.addFrame(red, 100);
    gif.addFrame(new Uint8Array(32), 100);
    const bytes = gif.finish();
    expect(String.fromCharCode(...bytes.subarray(0, 6))).toBe("GIF89a");
    expect(bytes[6]! | (bytes[7]! << 8)).toBe(4);
    expect(bytes[bytes.length - 1]).toBe(0x3b);
    expect(new TextDecoder().decode(bytes).includes("NETSCAPE2.0")).toBe(true);
    // Image descriptors follow each graphic control extension (21 F9 04 ...  2C).
    let images = 0;
    for (let i = 0; i + 8 < bytes.length; i++) if (bytes[i] === 0x21 && bytes[i + 1] === 0xf9 && bytes[i + 8] === 0x2c) images++;
    expect(images).toBe(2);
    expect(gif.frames).toBe(2);
  });

  it("refuses frames of the wrong size", () => {
    expect(() => new GifEncoder(2, 2).addFrame(new Uint8Array(4), 10)).toThrow(/size/);
    expect(() => new GifEncoder(0, 2)).toThrow(/bad GIF size/);
  });
});
