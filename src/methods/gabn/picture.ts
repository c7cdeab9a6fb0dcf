// The attention picture of `repro gabn` (issue #17 "Pictures"): mean GAMs as a PNG grid, one row per
// method, one column per group, each map drawn with nearest-neighbour cells in a black → red → yellow →
// white heat scale (0 → 1), tiles separated by white gaps. Encoded by sharp (deterministic bytes).
import sharp from 'sharp';

/** Heat colour of v in [0, 1]: black → red → yellow → white. */
export function heatColour(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * 3;
  const r = Math.min(1, x);
  const g = Math.min(1, Math.max(0, x - 1));
  const b = Math.min(1, Math.max(0, x - 2));
  return [Math.round(255 * r), Math.round(255 * g), Math.round(255 * b)];
}

export interface AttentionGridOptions {
  /** G: each map is G×G cells. */
  grid: number;
  /** Pixels per cell (default 16). */
  cellPx?: number;
  /** Gap between tiles in pixels (default 4). */
  gap?: number;
}

/** rows[r][c] is a G² map; every row must have the same number of maps. Returns the PNG bytes. */
export async function attentionGridPng(rows: readonly (readonly Float32Array[])[], o: AttentionGridOptions): Promise<Uint8Array> {
  const cols = rows[0]?.length ?? 0;
  if (rows.length === 0 || cols === 0 || rows.some((r) => r.length !== cols))
    throw new RangeError('attentionGridPng: needs a non-empty rectangular grid of maps');
  const cell = o.cellPx ?? 16;
  const gap = o.gap ?? 4;
  const tile = o.grid * cell;
  const width = cols * tile + (cols + 1) * gap;
  const height = rows.length * tile + (rows.length + 1) * gap;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  rows.forEach((row, r) =>
    row.forEach((map, c) => {
      if (map.length !== o.grid * o.grid) throw new RangeError(`attentionGridPng: map (${r}, ${c}) has ${map.length} cells, expected ${o.grid ** 2}`);
      const x0 = gap + c * (tile + gap);
      const y0 = gap + r * (tile + gap);
      for (let y = 0; y < tile; y++)
        for (let x = 0; x < tile; x++) {
          const colour = heatColour(map[Math.floor(y / cell) * o.grid + Math.floor(x / cell)]!);
          rgb.set(colour, ((y0 + y) * width + x0 + x) * 3);
        }
    }),
  );
  const png = await sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  return new Uint8Array(png);
}
