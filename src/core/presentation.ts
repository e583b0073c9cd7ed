/**
 * The trace-presentation parts of a spec (an action's lane, anchor and explain; the model's
 * bookkeeping and lane order) are checked when the spec is compiled: a malformed one is a load
 * error naming it, not a trace that cannot be shown later. They never affect the search.
 */
import { KripkeError } from './errors.js';
import type { ActionDef, Model } from './spec.js';

const isPath = (p: unknown) => typeof p === 'string' || (Array.isArray(p) && p.every((x) => typeof x === 'string' || typeof x === 'number'));

/** Checks the presentation hooks of `model`; KripkeError('load') naming the first bad one. */
export function checkPresentation(spec: string, model: Model<unknown>): void {
  const bad = (m: string): never => {
    throw new KripkeError('load', `spec '${spec}': ${m}`);
  };
  if (model.bookkeeping !== undefined && (!Array.isArray(model.bookkeeping) || !model.bookkeeping.every(isPath))) {
    bad("bookkeeping must be a list of state paths ('ops.*.phase' or ['ops', '*', 'phase'])");
  }
  if (model.lanes !== undefined && (!Array.isArray(model.lanes) || !model.lanes.every((l) => typeof l === 'string'))) bad('lanes must be a list of lane names');
  for (const [name, def] of Object.entries(model.actions) as [string, ActionDef<unknown, any>][]) {
    for (const hook of ['lane', 'explain'] as const) {
      if (def[hook] !== undefined && typeof def[hook] !== 'function') bad(`action ${name}: ${hook} must be a function of the action's parameters${hook === 'explain' ? ' (and states)' : ''}`);
    }
    if (def.anchor !== undefined) {
      const anchors = Array.isArray(def.anchor) ? def.anchor : [def.anchor];
      for (const a of anchors) {
        if (a === null || typeof a !== 'object' || typeof a.file !== 'string' || (a.fn !== undefined && typeof a.fn !== 'string') || (a.version !== undefined && typeof a.version !== 'string')) {
          bad(`action ${name}: anchor must be { file, fn?, version?, line? } (strings; line a number), or a list of them`);
        }
      }
    }
  }
}
