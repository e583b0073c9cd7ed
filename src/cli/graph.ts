/**
 * `kripke graph`: the reachable state graph of a small configuration, in Graphviz dot or JSON,
 * with the path to the first violating state highlighted. A graph past the limit (`--max-states`,
 * default DEFAULT_GRAPH_LIMIT states) is refused before anything is written; a file (`-o`) is
 * written atomically, so it is never half a graph.
 */
import { KripkeError } from '../core/errors.js';
import { exploreGraph } from '../core/graph.js';
import { compile } from '../core/model.js';
import { GRAPH_FORMATS, graphSummary, renderGraph, type GraphFormat } from '../trace/graph-formats.js';
import { EXIT } from './exit-codes.js';
import { writeError, writeFileAtomic } from './files.js';
import { num } from './format.js';
import type { Io } from './io.js';
import { loadSpec } from './load.js';

/** The most states a graph has unless `--max-states` says otherwise. */
export const DEFAULT_GRAPH_LIMIT = 2000;

/** What `kripke graph` was asked to do. */
export interface GraphArgs {
  spec: string;
  constants: [string, string][];
  /** `--format`, unchecked (graphFormatOf checks it); default dot. */
  format?: string;
  maxStates?: number;
  /** `-o FILE`; stdout when absent or `-`. */
  output?: string;
}

/** The `--format` of a graph; anything but dot or json is a config error. */
export function graphFormatOf(v: string | undefined): GraphFormat {
  if (v === undefined) return 'dot';
  if ((GRAPH_FORMATS as readonly string[]).includes(v)) return v as GraphFormat;
  throw new KripkeError('config', `--format expects ${GRAPH_FORMATS.join(' or ')} for 'kripke graph', got '${v}'`);
}

/** Runs `kripke graph`. */
export async function graphCommand(a: GraphArgs, io: Io): Promise<number> {
  const format = graphFormatOf(a.format);
  const limit = a.maxStates ?? DEFAULT_GRAPH_LIMIT;
  const spec = await loadSpec(a.spec);
  const m = compile(spec, a.constants);
  const r = exploreGraph(m, { maxStates: limit });
  if (!r.complete) {
    throw new KripkeError(
      'config',
      `the state graph of spec ${spec.name} has more than ${num(limit)} states, the limit: raise it with --max-states N (or choose smaller constants); nothing written`,
    );
  }
  const notes: string[] = [...r.graph.notes];
  const text = renderGraph(format, m, r.graph, notes);
  const summary = graphSummary(m, r.graph);
  if (a.output === undefined || a.output === '-') {
    io.out(text);
    io.err.write(`${summary}\n`);
  } else {
    try {
      writeFileAtomic(a.output, `${text}\n`);
    } catch (e) {
      throw new KripkeError('config', writeError(a.output, e));
    }
    io.out(`Wrote ${a.output}: ${summary}`);
  }
  for (const n of notes) io.err.write(`Note: ${n}\n`);
  return EXIT.ok;
}
