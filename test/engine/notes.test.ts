/**
 * Notes (src/core/notes.ts): state fields a trace shows but that are not part of the state. A
 * spec that annotates its steps has exactly the states of the same spec without the note, on
 * every path (plain, encoded, parallel); actions and properties see the notes at their defaults;
 * a counterexample shows, at each step, the note the action that made the step wrote.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Record, Set as ISet } from 'immutable';
import { change, check, checkParallel, compile, defineSpec, violated } from '../../src/index.js';
import { replayPath } from '../../src/trace/trace.js';

const S = Record({ n: 0, seen: ISet<number>(), why: '', peeked: false });
type St = ReturnType<typeof S>;

const spec = (notes: readonly string[] | undefined, write = true) =>
  defineSpec({
    name: 'annotated',
    build: () => ({
      init: S(),
      notes,
      actions: {
        Inc: { params: { by: [1, 2] }, apply: (s: St, { by }: { by: number }) => s.n < 6 && change(s).set('n', s.n + by).set('seen', s.seen.add(s.n)).set('why', write ? `+${by} from ${s.n}` : '') },
        Wrap: { apply: (s: St) => s.n >= 6 && change(s).set('n', 0).set('why', write ? `wrapped at ${s.n}` : '') },
        // an action that reads the note sees its default
        Peek: { apply: (s: St) => s.why !== '' && change(s).set('peeked', true) },
      },
      invariants: { Small: (s: St) => s.n < 8 || violated(`n is ${s.n}`), NoteUnseen: (s: St) => s.why === '' },
      sometimes: { Wrapped: (s: St) => s.n === 0 && s.seen.size > 0 },
    }),
  });

afterEach(() => {
  delete process.env.KRIPKE_NO_CODEC;
});

describe.each([['encoded', false], ['plain', true]] as const)('notes (%s path)', (_label, plain) => {
  const run = (notes?: readonly string[]) => {
    if (plain) process.env.KRIPKE_NO_CODEC = '1';
    return check(compile(spec(notes)), { continue: true });
  };
  it('the note does not multiply the states: the counts of the spec without it', () => {
    const withNote = run(['why']);
    const asField = run(undefined);
    expect(withNote.status).toBe('ok');
    // as a plain field the note is part of the state: more states (and the invariant reading it fails)
    expect(asField.stats.distinct).toBeGreaterThan(withNote.stats.distinct);
    expect(asField.violations.map((v) => v.property)).toEqual(['NoteUnseen']);
    // the same spec writing no note at all, the note a plain field
    const quiet = check(compile(spec(undefined, false)));
    expect(quiet.status).toBe('ok');
    expect(withNote.stats.distinct).toBe(quiet.stats.distinct);
    expect(withNote.stats.generated).toBe(quiet.stats.generated);
    expect(withNote.sometimes[0].witness).not.toBeNull();
    expect(withNote.coverage.find((c) => c.family === 'Peek')!.fired).toBe(0);
  });
});

describe('notes in traces and threads', () => {
  it('a trace shows, at each step, the note its action wrote', () => {
    const m = compile(spec(['why']));
    const r = check(m);
    const path = r.sometimes[0].witness!;
    const states = replayPath(m, path).steps.map((x) => x.state as St);
    expect(states[0].why).toBe('');
    for (let i = 1; i < states.length; i++) expect(states[i].why).toMatch(i === states.length - 1 ? /^wrapped at \d$/ : /^\+[12] from \d$/);
  });
  it('checkParallel gives the same counts', async () => {
    const one = check(compile(spec(['why'])));
    const two = await checkParallel('test/engine/notes-spec.ts', [], { workers: 2 });
    expect(two.threads?.used).toBe(2);
    expect(two.stats.distinct).toBe(one.stats.distinct);
    expect(two.stats.generated).toBe(one.stats.generated);
  });
  it('a note that is not a field of the state is a load error naming it', () => {
    expect(() => compile(spec(['whY']))).toThrow(/note 'whY' is not a field of the state \(its fields: n, seen, why, peeked\)/);
  });
});
