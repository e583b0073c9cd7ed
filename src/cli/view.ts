/**
 * `kripke view [<spec.ts>] <trace.itf.json>`: replays a trace file as `kripke replay` does (the
 * recorded spec module, constants and claim; every step must reproduce the recorded state and the
 * claim must hold), then writes it for a reader: one self-contained HTML file (default next to
 * the trace: `x.itf.json` -> `x.html`), or a sequence diagram on stdout (`--format mermaid`,
 * `plantuml`, `text`). Progress lines go to stderr, so stdout carries the diagram alone.
 */
import { KripkeError } from '../core/errors.js';
import { annotate } from '../trace/annotate.js';
import { renderHtml } from '../trace/html.js';
import { toMermaid, toPlantUml, toText } from '../trace/sequence.js';
import { confirmClaim, type TraceClaim } from '../trace/trace.js';
import { writeError, writeFileAtomic } from './files.js';
import { toStderr, type Io } from './io.js';
import { confirmSomeInvariant, openTrace, SOME_INVARIANT, traceSource } from './replay.js';
import { displayPath } from './run.js';
import { DEFAULT_DISPLAY, type TraceDisplay } from './trace-display.js';
import { EXIT } from './exit-codes.js';

export interface ViewArgs {
  /** the spec module (default: the one the file records) */
  spec?: string;
  file: string;
  constants: [string, string][];
  format?: string;
  output?: string;
  display?: TraceDisplay;
  /** `--width`: of --format text (default 80, whatever the terminal) */
  width?: number;
}

const FORMATS = ['html', 'mermaid', 'plantuml', 'text'] as const;
type Format = (typeof FORMATS)[number];

function formatOf(v: string | undefined): Format {
  if (v === undefined) return 'html';
  if ((FORMATS as readonly string[]).includes(v)) return v as Format;
  throw new KripkeError('config', `--format expects one of ${FORMATS.join(', ')}, got '${v}'`);
}

/** Where the HTML of `file` goes by default: beside it, `.itf.json` (or `.json`) replaced by `.html`. */
export function htmlPathOf(file: string): string {
  return file.replace(/(\.itf)?\.json$/, '') + '.html';
}

export async function viewCommand(a: ViewArgs, io: Io): Promise<number> {
  const format = formatOf(a.format);
  const display = a.display ?? DEFAULT_DISPLAY;
  const log = toStderr(io);
  const spec = a.spec ?? traceSource(a.file);
  let note: string | undefined;
  const opened = await openTrace({ spec, target: a.file, constants: a.constants, properties: [], display }, log, (n) => (note = n), false);
  if (note !== undefined) log.out(`kripke: note: ${note}`);
  let claim: TraceClaim | undefined;
  if (opened.claim === SOME_INVARIANT) {
    claim = { property: 'some invariant', kind: 'invariant', reason: confirmSomeInvariant(opened.selected, opened.trace, a.file) };
  } else if (opened.claim !== undefined) {
    const reason = confirmClaim(opened.model, opened.trace, opened.claim);
    claim = { ...opened.claim, ...(reason !== undefined ? { reason } : {}) };
  }
  const at = annotate(opened.model, opened.trace, display.fields, claim);
  const text =
    format === 'html' ? renderHtml(at)
    : format === 'mermaid' ? toMermaid(at)
    : format === 'plantuml' ? toPlantUml(at)
    : toText(at, a.width ?? 80);
  // hooks that threw: the HTML shows them; a diagram has no place for them, so stderr says them
  if (format !== 'html') for (const n of at.notes) log.out(`kripke: note: ${n}`);
  const out = a.output ?? (format === 'html' ? htmlPathOf(a.file) : '-');
  if (out === '-') {
    io.out(text);
    return EXIT.ok;
  }
  try {
    writeFileAtomic(out, format === 'html' ? text : `${text}\n`);
  } catch (e) {
    throw new KripkeError('config', writeError(out, e));
  }
  log.out(`Wrote ${displayPath(out)} (${format}, ${at.steps.length} states, ${at.lanes.length} lanes${claim ? `, ${claim.property}` : ''})`);
  return EXIT.ok;
}
