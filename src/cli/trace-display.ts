/**
 * How the CLI prints a trace: as lanes (the default for a spec whose actions declare actors or
 * lanes) or one step under the other (`--plain`), with the spec's bookkeeping hidden unless
 * `--show-all`, and the user's `--hide` / `--show`. The width is `--width`, else the terminal's,
 * else $COLUMNS, else 80.
 */
import type { CompiledModel } from '../core/model.js';
import { KripkeError } from '../core/errors.js';
import { annotate, hasActors } from '../trace/annotate.js';
import { checkFieldPaths, type FieldChoice } from '../trace/fields.js';
import { renderLanes } from '../trace/lanes.js';
import { renderAnnotated } from '../trace/text.js';
import type { Trace, TraceClaim } from '../trace/trace.js';

export interface TraceDisplay {
  /** 'auto': lanes if the spec's actions declare actors */
  readonly layout: 'auto' | 'lanes' | 'plain';
  readonly width: number;
  readonly fields: FieldChoice;
}

export const DEFAULT_DISPLAY: TraceDisplay = { layout: 'auto', width: 80, fields: {} };

/** The narrowest and widest layouts (`--width` outside is refused; a terminal outside is clamped). */
export const MIN_WIDTH = 40;
export const MAX_WIDTH = 1000;

/** The terminal width the output gets when none is given, within MIN_WIDTH..MAX_WIDTH. */
export function defaultWidth(): number {
  const c = Number(process.env.COLUMNS);
  const w = process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : Number.isInteger(c) && c > 0 ? c : 80;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w));
}

/** `a,b` and repeated flags as one list. */
const list = (xs: readonly string[] | undefined) => (xs ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

/** The display the flags ask for (`--lanes`, `--plain`, `--width`, `--show-all`, `--hide`, `--show`). */
export function displayOf(v: { lanes?: boolean; plain?: boolean; width?: string; 'show-all'?: boolean; hide?: string[]; show?: string[] }): TraceDisplay {
  if (v.lanes && v.plain) throw new KripkeError('config', '--lanes and --plain exclude each other');
  let width = defaultWidth();
  if (v.width !== undefined) {
    if (!/^\d+$/.test(v.width) || Number(v.width) < MIN_WIDTH || Number(v.width) > MAX_WIDTH) {
      throw new KripkeError('config', `--width expects a number of columns from ${MIN_WIDTH} to ${MAX_WIDTH}, got '${v.width}'`);
    }
    width = Number(v.width);
  }
  return { layout: v.lanes ? 'lanes' : v.plain ? 'plain' : 'auto', width, fields: { showAll: v['show-all'] ?? false, hide: list(v.hide), show: list(v.show) } };
}

/** Checks `--hide` / `--show` against the spec's state (a typo is a config error, not an empty trace). */
export function checkDisplay(m: CompiledModel<unknown>, d: TraceDisplay): void {
  const view = m.model.view as ((s: unknown) => unknown) | undefined;
  let s: unknown = m.inits[0];
  try {
    if (view) s = view(s);
  } catch {
    // the trace notes the throwing view; the raw state names the fields
  }
  checkFieldPaths('--hide', d.fields.hide ?? [], s);
  checkFieldPaths('--show', d.fields.show ?? [], s);
}

/** The trace as text, as the display says. */
export function traceText<S>(m: CompiledModel<S>, trace: Trace<S>, d: TraceDisplay = DEFAULT_DISPLAY, claim?: TraceClaim): string {
  const at = annotate(m, trace, d.fields, claim ?? trace.claim);
  const lanes = d.layout === 'lanes' || (d.layout === 'auto' && hasActors(m as CompiledModel<unknown>));
  return lanes ? renderLanes(at, d.width) : renderAnnotated(at);
}
