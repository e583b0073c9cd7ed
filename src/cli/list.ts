/**
 * `kripke list`: a spec's constants (values, defaults, allowed values), action families with
 * their parameters and instance counts, and properties by kind.
 */
import { compile } from '../core/model.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { loadSpec } from './load.js';

/** What `kripke list` was asked to do. */
export interface ListArgs {
  spec: string;
  constants: [string, string][];
}

/** Runs `kripke list`. */
export async function listCommand(a: ListArgs, io: Io): Promise<number> {
  const spec = await loadSpec(a.spec);
  const m = compile(spec, a.constants);
  io.out(`Spec ${spec.name}${spec.doc ? `: ${spec.doc}` : ''}`);
  io.out('');
  io.out('Constants:');
  for (const [k, d] of Object.entries(spec.constants)) {
    const allowed = d.values ? ` in {${d.values.join(', ')}}` : d.min !== undefined || d.max !== undefined ? ` in ${d.min ?? ''}..${d.max ?? ''}` : '';
    io.out(`  ${k} = ${String(m.constants[k])} (default ${String(d.default)}${allowed})${d.doc ? `  ${d.doc}` : ''}`);
  }
  io.out('');
  io.out(`Actions (${m.instances.length} instances):`);
  for (const f of m.families) {
    const params = f.paramNames.length ? `(${f.paramNames.join(', ')})` : '';
    io.out(`  ${f.name}${params}  ${f.count} instance(s)${f.def.doc ? `  ${f.def.doc}` : ''}`);
  }
  const props = [
    ...m.invariants.map((p) => ['invariant', p.name, p.doc]),
    ...m.actionProperties.map((p) => ['action property', p.name, p.doc]),
    ...m.sometimes.map((p) => ['sometimes', p.name, p.doc]),
    ...m.constraints.map((p) => ['constraint', p.name, undefined]),
  ];
  io.out('');
  io.out('Properties:');
  for (const [kind, name, doc] of props) io.out(`  ${name}  (${kind})${doc ? `  ${doc}` : ''}`);
  io.out(`  deadlock checking: ${m.deadlock ? 'on' : 'off'}`);
  return EXIT.ok;
}
