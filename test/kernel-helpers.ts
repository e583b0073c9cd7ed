/** What the kernel tests share: check one property of a spec, and step through a counterexample. */
import { Change, check, compile, selectProperties, type CompiledModel, type Instance, type Spec } from '../src/index.js';

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
