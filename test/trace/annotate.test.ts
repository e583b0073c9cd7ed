/**
 * Annotated traces: explanations are computed when a trace is rendered, never during the search;
 * a throwing hook is a note, not a lost trace; messages pair a send with the step that receives
 * it; bookkeeping is hidden unless asked for.
 */
import { Map as IMap, Record } from 'immutable';
import { describe, expect, it } from 'vitest';
import { check, compile, defineSpec, replayPath } from '../../src/index.js';
import { annotate } from '../../src/trace/annotate.js';
import { fieldFilter, prune } from '../../src/trace/fields.js';
import { renderAnnotated } from '../../src/trace/text.js';

const St = Record({ n: 0, sent: false, got: false, step: 0 });
let explained = 0;
const pingPong = (throwing = false) =>
  defineSpec({
    name: 'ping',
    build: () => ({
      init: St(),
      bookkeeping: ['step'],
      lanes: ['B', 'A'],
      actions: {
        Send: {
          actor: () => 'A',
          anchor: { file: 'ping.c', fn: 'send', version: 'v1' },
          explain: () => {
            explained++;
            if (throwing) throw new Error('boom');
            return { note: 'A sends', send: [{ id: 'm', to: 'B', label: 'ping' }] };
          },
          apply: (s: ReturnType<typeof St>) => !s.sent && s.set('sent', true).set('step', s.step + 1),
        },
        Recv: {
          actor: () => 'B',
          explain: () => ({ note: 'B receives', receive: ['m'] }),
          apply: (s: ReturnType<typeof St>) => s.sent && !s.got && s.set('got', true).set('n', 1).set('step', s.step + 1),
        },
      },
      invariants: { NotDone: (s: ReturnType<typeof St>) => s.n === 0 },
    }),
  });

describe('annotate', () => {
  it('runs explain only when rendering: the search calls no hook', () => {
    explained = 0;
    const m = compile(pingPong());
    const r = check(m);
    expect(r.status).toBe('violation');
    expect(explained).toBe(0);
    const at = annotate(m, replayPath(m, r.violations[0].path));
    expect(explained).toBe(1);
    expect(at.lanes).toEqual(['B', 'A']);
    expect(at.arrows).toEqual([{ from: 2, to: 3, fromLane: 'A', toLane: 'B', label: 'ping' }]);
    expect(at.steps[1].anchors).toEqual([{ file: 'ping.c', fn: 'send', version: 'v1' }]);
    expect(at.steps[1].notes).toEqual(['A sends']);
  });

  it('hides bookkeeping and counts it; --show-all, --hide and --show choose', () => {
    const m = compile(pingPong());
    const t = replayPath(m, check(m).violations[0].path);
    const def = annotate(m, t);
    expect(def.steps[1].changes).toEqual(['sent: false -> true']);
    expect(def.steps[1].hidden).toBe(1);
    expect(def.steps[0].state.join('\n')).not.toMatch(/step/);
    expect(annotate(m, t, { showAll: true }).steps[1].changes).toEqual(['sent: false -> true', 'step: 0 -> 1']);
    expect(annotate(m, t, { hide: ['sent'] }).steps[1].changes).toEqual([]);
    expect(annotate(m, t, { show: ['n', 'step'] }).steps[2].changes).toEqual(['n: 0 -> 1', 'step: 1 -> 2']);
    const text = renderAnnotated(def);
    expect(text).toMatch(/State 2: Send {3}\[A\]\n {2}at ping\.c:send \(v1\)\n {2}sent: false -> true\n {2}\(\+1 hidden: --show-all\)\n {2}-> B: ping \(handled at state 3\)\n {2}note: A sends/);
    expect(text).toMatch(/State 3: Recv[^\n]*\n(.*\n)* {2}<- A \(state 2\): ping/);
  });

  it('a throwing explain is a note; the trace is still shown', () => {
    const m = compile(pingPong(true));
    const t = replayPath(m, check(m).violations[0].path);
    const at = annotate(m, t);
    expect(at.steps).toHaveLength(3);
    expect(at.notes.join('\n')).toMatch(/explain of Send threw \(boom\); shown without it/);
  });

  it('an action without lane or actor is drawn in the lane of its first parameter (the process), else its own', async () => {
    const { default: mutex } = await import('../../examples/mutex.js');
    const m = compile(mutex);
    const at = annotate(m, replayPath(m, check(m).violations[0].path));
    expect(at.lanes).toEqual(['p=1', 'p=2']);
    expect(at.steps.slice(1).map((s) => s.lane)).toEqual(['p=1', 'p=2', 'p=1', 'p=2']);
  });

  it("a lane or actor that is '' falls back to the next choice", () => {
    const spec = defineSpec({
      name: 'blank',
      build: () => ({
        init: St(),
        actions: { Send: { actor: () => '', lane: () => '', apply: (s: ReturnType<typeof St>) => !s.sent && s.set('sent', true) } },
        invariants: { NotSent: (s: ReturnType<typeof St>) => !s.sent },
      }),
    });
    const m = compile(spec);
    const at = annotate(m, replayPath(m, check(m).violations[0].path));
    expect(at.steps[1].lane).toBe('Send');
  });

  it('malformed presentation hooks are load errors naming them', () => {
    const bad = (extra: object, action: object = {}) =>
      defineSpec({ name: 'bad', build: () => ({ init: St(), actions: { A: { apply: () => null, ...action } }, ...extra }) as never });
    expect(() => compile(bad({ bookkeeping: 'step' }))).toThrow(/spec 'bad': bookkeeping must be a list of state paths/);
    expect(() => compile(bad({ lanes: [1] }))).toThrow(/spec 'bad': lanes must be a list of lane names/);
    expect(() => compile(bad({}, { anchor: 'mm/memory.c' }))).toThrow(/action A: anchor must be \{ file, fn\?, version\?, line\? \}/);
    expect(() => compile(bad({}, { explain: 'why' }))).toThrow(/action A: explain must be a function/);
  });

  it('prune keeps the shape of what it keeps', () => {
    const f = fieldFilter(['ops.*.phase'], {});
    const Op = Record({ phase: 'idle', pending: 0 });
    const S = Record({ ops: Record({})() as unknown, x: 1 });
    const s = S({ ops: IMap([[0, Op()], [1, Op({ phase: 'ipi', pending: 2 })]]) });
    const p = prune(s, f) as ReturnType<typeof S>;
    expect((p.ops as IMap<number, { toJS(): unknown }>).get(1)!.toJS()).toEqual({ pending: 2 });
    expect(p.x).toBe(1);
    expect(prune(s, fieldFilter(['ops.*.phase'], { showAll: true }))).toBe(s);
  });
});
