import type uPlot from 'uplot';

/**
 * The curve's three series. Each has its own dash pattern and point shape besides its
 * colour, and the legend shows both next to its name, so the chart reads without colour.
 * The colours are the palette's accent, ok and error inks (all at least 7:1 on white).
 */
export const CURVE_SERIES = [
  { key: 'arrivals', color: '#1f4e6b', dash: [] as number[], line: 'solid', shape: 'circle', glyph: '●' },
  { key: 'answered', color: '#1e6b3a', dash: [10, 5], line: 'dashed', shape: 'square', glyph: '■' },
  { key: 'abandoned', color: '#a4262c', dash: [2, 4], line: 'dotted', shape: 'triangle', glyph: '▲' },
] as const;

export type CurveSeries = (typeof CURVE_SERIES)[number];

/** Draws each point of a series as its shape (uPlot draws circles only). */
export function shapePoints(shape: CurveSeries['shape']): uPlot.Series.Points.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const xs = u.data[0];
    const ys = u.data[seriesIdx];
    const path = new Path2D();
    const r = 4 * (window.devicePixelRatio || 1);
    for (let i = idx0; i <= idx1; i += 1) {
      const x = xs[i];
      const y = ys?.[i];
      if (x === undefined || y === undefined || y === null) continue;
      const cx = u.valToPos(x, 'x', true);
      const cy = u.valToPos(y, 'y', true);
      if (shape === 'circle') {
        path.moveTo(cx + r, cy);
        path.arc(cx, cy, r, 0, Math.PI * 2);
      } else if (shape === 'square') {
        path.rect(cx - r * 0.85, cy - r * 0.85, r * 1.7, r * 1.7);
      } else {
        path.moveTo(cx, cy - r * 1.15);
        path.lineTo(cx + r, cy + r * 0.8);
        path.lineTo(cx - r, cy + r * 0.8);
        path.closePath();
      }
    }
    return { stroke: path, fill: path };
  };
}
