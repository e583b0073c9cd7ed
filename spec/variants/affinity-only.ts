/**
 * Example of a variant in one module (README "Add a variant"): a flush policy that IPIs only the
 * CPUs the unmapping thread is allowed to run on, as if "only my pinned thread touches this vma"
 * bounded where the translation can be cached. Run in Rutland's world; expected: violated.
 */
import { Set as ISet } from 'immutable';
import type { FlushPolicy } from '../policies/policy.js';
import { kernelSpec } from '../variant.js';
import { rutland } from '../worlds.js';

export const affinityOnly: FlushPolicy = {
  name: 'affinity-only',
  doc: 'VM_LOCAL_CPU: IPI only the CPUs in the current thread\'s affinity mask (minus self)',
  targets: (q) =>
    q.vmaFlags.has('LOCAL_CPU')
      ? q.mask.intersect(ISet(q.affinity)).remove(q.initiator)
      : q.mask.remove(q.initiator),
};

export default kernelSpec({
  name: 'Vx-affinity',
  doc: 'flush only the CPUs of the thread\'s affinity: speculation on other CPUs is missed',
  world: rutland(),
  policy: affinityOnly,
});
