/** Shared helpers of the engine tests: running a spec and replaying a counterexample path. */
import { Change, check, compile, type CheckOptions, type CheckResult, type CompiledModel, type ConstValue, type Spec } from '../../src/index.js';

export function run<S>(spec: Spec<S, any>, consts: Record<string, ConstValue> = {}, opts: CheckOptions = {}): CheckResult {
  return check(compile(spec, Object.entries(consts)), opts);
}

/** The states along a path [init, action, ...]; throws if an action on it is not enabled. */
export function replay<S>(m: CompiledModel<S>, path: readonly number[]): S[] {
  if (path.length === 0) throw new Error('empty path');
  if (path[0] < 0 || path[0] >= m.inits.length) throw new Error(`bad init index ${path[0]}`);
  let s = m.inits[path[0]];
  const out = [s];
  for (const ai of path.slice(1)) {
    const inst = m.instances[ai];
    if (!inst) throw new Error(`bad instance index ${ai}`);
    const r = inst.apply(s, inst.params);
    if (r === null || r === undefined || r === false) throw new Error(`instance ${ai} (${inst.name}) not enabled on the path`);
    s = r instanceof Change ? (r.materialize() as S) : (r as S);
    out.push(s);
  }
  return out;
}

/** The last state of a replayed path. */
export const endOf = <S>(m: CompiledModel<S>, path: readonly number[]): S => replay(m, path).at(-1)!;

/** The counting part of the stats. */
export const counts = (r: CheckResult) => ({ distinct: r.stats.distinct, generated: r.stats.generated, depth: r.stats.depth });
