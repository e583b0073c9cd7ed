/**
 * Loading a spec (or suite) module: a TypeScript or JavaScript file whose default export was
 * made by `defineSpec` (or `defineSuite`). Every failure is one line naming the problem.
 */
import { KripkeError } from '../core/errors.js';
import { importModule } from '../core/import-module.js';
import { isSpec, type Spec } from '../core/spec.js';
import { isSuite, type Suite } from '../core/suite.js';

/** Loads a module whose default export must pass `is` (a spec or a suite). */
async function loadDefault<T>(
  file: string,
  what: { noun: 'spec' | 'suite'; maker: string; is: (x: unknown) => x is T; other: (x: unknown) => boolean; otherHint: string },
): Promise<T> {
  const mod = await importModule(file);
  if (!('default' in mod) || mod.default === undefined) {
    throw new KripkeError('load', `${file} has no default export (export default ${what.maker}({...}))`);
  }
  if (what.other(mod.default)) throw new KripkeError('load', `${file} is not a ${what.noun}: ${what.otherHint.replace('FILE', file)}`);
  if (!what.is(mod.default)) throw new KripkeError('load', `${file}: the default export is not a ${what.noun} made by ${what.maker}`);
  return mod.default;
}

/** Loads a spec module. */
export function loadSpec(file: string): Promise<Spec> {
  return loadDefault(file, { noun: 'spec', maker: 'defineSpec', is: isSpec, other: isSuite, otherHint: "it is a suite: run it with 'kripke suite FILE'" });
}

/** Loads a suite module. */
export function loadSuite(file: string): Promise<Suite> {
  return loadDefault(file, { noun: 'suite', maker: 'defineSuite', is: isSuite, other: isSpec, otherHint: "it is a spec: run it with 'kripke check FILE'" });
}
