import type uPlot from 'uplot';
import type { CurvePoint } from '../../protocol/supervisor-messages.js';
import { h } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';
import { CURVE_SERIES, shapePoints } from './chart-series.js';
import { clockTime, count } from './format.js';
import { LiveTable } from './live-table.js';

type UPlotClass = typeof uPlot;

const AXIS = { stroke: '#4a5560', font: '12px system-ui, sans-serif', grid: { stroke: '#e1e6eb', width: 1 }, ticks: { stroke: '#c9d1d9', width: 1 } };
const HEIGHT = 240;

/**
 * Today's arrivals, answers and abandons per quarter hour: a uPlot chart (loaded only here,
 * so an operator's console never fetches it) with a text legend, a summary as the chart's
 * accessible name, and the same numbers as a table behind "Show as table".
 */
export class DayCurve {
  readonly el: HTMLElement;
  private readonly plot = h('div', { class: 'curve-plot', role: 'img' });
  private readonly note = h('p', { class: 'curve-note' });
  private readonly details: HTMLDetailsElement;
  private readonly table = new LiveTable<CurvePoint>({
    caption: () => t('supervisor.curve.caption'),
    className: 'curve-table',
    stack: 'narrow',
    key: (p) => p.start,
    columns: [
      { header: () => t('supervisor.curve.quarter'), text: (p) => quarter(p.start), rowHeader: true },
      ...CURVE_SERIES.map((s) => ({ header: () => t(`supervisor.curve.${s.key}`), text: (p: CurvePoint) => count(p[s.key]), className: 'num' })),
    ],
  });
  private curve: readonly CurvePoint[] = [];
  private drawn = '';
  private chart: uPlot | null = null;
  private library: Promise<UPlotClass> | null = null;
  private resizer: ResizeObserver | null = null;
  private stopped = false;

  constructor() {
    this.details = h('details', { class: 'curve-details' },
      h('summary', {}, live(() => t('supervisor.curve.showTable'))),
      this.table.el,
    );
    this.el = h('section', { class: 'curve', 'aria-labelledby': 'curve-heading' },
      h('h3', { id: 'curve-heading' }, live(() => t('supervisor.curve.heading'))),
      h('ul', { class: 'curve-legend' }, CURVE_SERIES.map((s) =>
        h('li', { class: `series-${s.key}` },
          h('span', { class: `legend-sample line-${s.line}`, 'aria-hidden': 'true' }, h('span', { class: 'legend-glyph' }, s.glyph)),
          live(() => t(`supervisor.curve.${s.key}`))),
      )),
      this.plot,
      this.note,
      this.details,
    );
    this.plot.setAttribute('aria-label', this.summary());
    this.note.hidden = true;
  }

  update(curve: readonly CurvePoint[]): void {
    this.curve = curve;
    this.table.update(curve);
    const label = this.summary();
    if (this.plot.getAttribute('aria-label') !== label) this.plot.setAttribute('aria-label', label);
    void this.draw();
  }

  stop(): void {
    this.stopped = true;
    this.resizer?.disconnect();
    this.chart?.destroy();
    this.chart = null;
  }

  /** The chart's accessible name: the day in one sentence, in the interface language. */
  private summary(): string {
    const first = this.curve[0];
    const last = this.curve.at(-1);
    if (!first || !last) return t('supervisor.curve.emptySummary');
    const total = (key: 'arrivals' | 'answered' | 'abandoned') => this.curve.reduce((sum, p) => sum + p[key], 0);
    const peak = this.curve.reduce((best, p) => (p.arrivals > best.arrivals ? p : best), first);
    return t('supervisor.curve.summary', {
      from: quarter(first.start),
      to: quarter(last.start),
      arrivals: count(total('arrivals')),
      answered: count(total('answered')),
      abandoned: count(total('abandoned')),
      peak: quarter(peak.start),
      peakArrivals: count(peak.arrivals),
    });
  }

  private async draw(): Promise<void> {
    if (this.curve.length === 0) {
      this.showNote('supervisor.curve.empty');
      this.plot.hidden = true;
      return;
    }
    const data: uPlot.AlignedData = [
      this.curve.map((p) => Date.parse(p.start) / 1000),
      ...CURVE_SERIES.map((s) => this.curve.map((p) => p[s.key])),
    ];
    const key = JSON.stringify(data);
    if (key === this.drawn) return;
    let UPlot: UPlotClass;
    try {
      UPlot = await (this.library ??= import('uplot').then((m) => m.default));
    } catch {
      // The chunk did not load (a dropped connection): the table says it all.
      this.library = null;
      this.plot.hidden = true;
      this.showNote('supervisor.curve.unavailable');
      this.details.open = true;
      return;
    }
    if (this.stopped) return;
    this.plot.hidden = false;
    this.note.hidden = true;
    this.drawn = key;
    if (this.chart) {
      this.chart.setData(data);
      return;
    }
    this.chart = new UPlot(this.options(this.width()), data, this.plot);
    this.resizer = new ResizeObserver(() => {
      const width = this.width();
      if (this.chart && this.chart.width !== width) this.chart.setSize({ width, height: HEIGHT });
    });
    this.resizer.observe(this.plot);
  }

  private showNote(key: string): void {
    this.note.replaceChildren(live(() => t(key)));
    this.note.hidden = false;
  }

  private width(): number {
    return Math.max(240, Math.floor(this.plot.clientWidth));
  }

  private options(width: number): uPlot.Options {
    return {
      width,
      height: HEIGHT,
      // The legend is ours (text, line and shape, outside the image); there is no hover read-out.
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        { ...AXIS, values: (_u, splits) => splits.map((s) => clockTime(s * 1000)) },
        { ...AXIS, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], values: (_u, splits) => splits.map((s) => count(s)), size: 44 },
      ],
      series: [
        {},
        ...CURVE_SERIES.map((s) => ({
          label: s.key,
          stroke: s.color,
          width: 2,
          dash: [...s.dash],
          points: { size: 8, space: 12, width: 1, stroke: s.color, fill: s.color, paths: shapePoints(s.shape) },
        })),
      ],
    };
  }
}

/** A quarter hour by its start, on this browser's 24-hour clock ("10:15"). */
function quarter(iso: string): string {
  return clockTime(Date.parse(iso));
}
