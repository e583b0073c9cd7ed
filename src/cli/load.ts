/**
 * Loading a spec (or suite) module: a TypeScript or JavaScript file whose default export was
 * made by `defineSpec` (or `defineSuite`). Every failure is one line naming the problem.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KripkeError, messageOf } from '../core/errors.js';
import { isSpec, type Spec } from '../core/spec.js';
import { isSuite, type Suite } from '../core/suite.js';

async function importModule(file: string): Promise<Record<string, unknown>> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new KripkeError('load', `cannot load ${file}: no such file`);
  if (!statSync(abs).isFile()) throw new KripkeError('load', `cannot load ${file}: not a file`);
  try {
    return (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    throw new KripkeError('load', `cannot load ${file}: ${messageOf(e)}`);
  }
}

/** Loads a spec module. */
export async function loadSpec(file: string): Promise<Spec> {
  const mod = await importModule(file);
  if (!('default' in mod) || mod.default === undefined) {
    throw new KripkeError('load', `${file} has no default export (export default defineSpec({...}))`);
  }
  if (isSuite(mod.default)) throw new KripkeError('load', `${file} is a suite, not a spec: run it with 'kripke suite ${file}'`);
  if (!isSpec(mod.default)) throw new KripkeError('load', `${file}: the default export is not a spec made by defineSpec`);
  return mod.default;
}

/** Loads a suite module. */
export async function loadSuite(file: string): Promise<Suite> {
  const mod = await importModule(file);
  if (!('default' in mod) || mod.default === undefined) {
    throw new KripkeError('load', `${file} has no default export (export default defineSuite({...}))`);
  }
  if (isSpec(mod.default)) throw new KripkeError('load', `${file} is a spec, not a suite: run it with 'kripke check ${file}'`);
  if (!isSuite(mod.default)) throw new KripkeError('load', `${file}: the default export is not a suite made by defineSuite`);
  return mod.default;
}
