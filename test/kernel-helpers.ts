/** What the kernel tests share: check one property of a spec, assert a table row's verdict, step through a counterexample. */
import { expect } from 'vitest';
import { Change, check, compile, selectProperties, type CheckResult, type CompiledModel, type Instance, type Spec, type SuiteRow } from '../src/index.js';

/** `spec` with `constants`, checked for `property` alone. */
export function runProperty<S>(spec: Spec<S, any>, constants: Readonly<Record<string, unknown>> | undefined, property: string) {
  const m = selectProperties(compile(spec, Object.entries(constants ?? {}).map(([k, v]) => [k, String(v)] as [string, string])), [property]) as CompiledModel<S>;
  return { m, r: check(m) };
}

/** The actions and states along a path [init, a1, a2, ...]. */
export function replay<S>(m: CompiledModel<S>, path: readonly number[]) {
  let s = m.inits[path[0]];
  const states = [s];
  const actions: Instance<S>[] = [];
  for (const ai of path.slice(1)) {
    const a = m.instances[ai];
    const next = a.apply(s, a.params);
    s = (next instanceof Change ? next.materialize() : next) as S;
    actions.push(a);
    states.push(s);
  }
  return { actions, states };
}

/** A verdict-table row's expectation, asserted on its check result (lengths count states). */
export function expectVerdict(row: SuiteRow, r: CheckResult) {
  switch (row.expect) {
    case 'holds':
      expect(r.status).toBe('ok');
      break;
    case 'violated':
      expect(r.status).toBe('violation');
      expect(r.violations[0].property).toBe(row.property);
      if (row.expectLength !== undefined) expect(r.violations[0].length).toBe(row.expectLength);
      break;
    case 'witness':
      expect(r.sometimes[0].witness).not.toBeNull();
      if (row.expectLength !== undefined) expect(r.sometimes[0].witness!.length).toBe(row.expectLength);
      break;
    case 'no-witness':
      expect(r.status).toBe('ok');
      expect(r.sometimes[0].witness).toBeNull();
      break;
  }
}
