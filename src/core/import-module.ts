/**
 * Importing a spec (or suite) module by path, from any folder, with every failure turned into
 * one line that names the file: for a syntax error, `FILE:LINE:COLUMN: message` (the column
 * 1-based), in the spec or in the module it imports that has the error.
 *
 * Node and tsx choose a `.ts`/`.js` file's format from the nearest package.json. Outside a
 * `"type": "module"` package (a temp dir, a CommonJS project) a spec written with
 * `import`/`export` would go to the CommonJS loader, which sees the ESM syntax and `require()`s
 * the file as ESM while it is being imported ("Cannot require() ES Module ... in a cycle"). So a
 * loader hook, registered once per thread and run before tsx's, loads any file that would be
 * CommonJS but uses ESM syntax (`.cts` and `.cjs` included; not under node_modules) as ESM: the
 * spec then shares kripke's module instances with the engine. A spec written as CommonJS
 * (`require`, `module.exports`) works when it requires kripke's entry module, imported first so
 * that `require(esm)` finds it evaluated.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { ensureTsx } from './tsx.js';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KripkeError, messageOf } from './errors.js';

/**
 * The hook, plain JS in a data: URL: it runs in the loader thread, where there is no tsx. It
 * resolves after tsx and turns a CommonJS result into ESM; the URL loses tsx's CommonJS-interop
 * queries (a "virtual" path `file.ts%3F...` included), so tsx then compiles the file as ESM.
 */
const HOOKS = String.raw`
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const ESM = /^[ \t]*(?:import(?![\w$]|[ \t]+type[ \t]|[ \t]+[\w$]+[ \t]*=[ \t]*require\b)[ \t]*[\w$*{'"]|export(?![\w$]|[ \t]+type[ \t]|[ \t]*=)[ \t]*[\w$*{])/m;
const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if ((r.format !== 'commonjs' && r.format !== 'commonjs-typescript') || !r.url.startsWith('file:')) return r;
  const url = new URL(r.url);
  const virtual = url.pathname.toLowerCase().indexOf('%3f');
  if (virtual !== -1) url.pathname = url.pathname.slice(0, virtual);
  for (const key of [...url.searchParams.keys()]) if (key.startsWith('tsx-commonjs-')) url.searchParams.delete(key);
  const file = fileURLToPath(url);
  if (!/\.(?:[jt]sx?|c[jt]s)$/.test(file) || /[\\/]node_modules[\\/]/.test(file)) return r;
  let source = '';
  try { source = readFileSync(file, 'utf8'); } catch { return r; }
  return ESM.test(source.replace(COMMENTS, '')) ? { ...r, url: url.href, format: 'module' } : r;
}
`;

let hooked = false;

/**
 * Imports the module at `file` (TypeScript or JavaScript, in any folder) and returns its
 * namespace; a CommonJS module's `exports.default`, if it has one, is the namespace's `default`.
 * Throws `KripkeError('load', 'cannot load FILE: ...')`, one line, if the file is missing, or if it
 * (or a module it imports) does not compile or throws while it is evaluated.
 */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new KripkeError('load', `cannot load ${file}: no such file`);
  if (!statSync(abs).isFile()) throw new KripkeError('load', `cannot load ${file}: not a file`);
  if (!hooked) {
    hooked = true;
    await ensureTsx(); // before this hook, which must run ahead of tsx's
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
  }
  let ns: Record<string, unknown>;
  try {
    await import('../index.js'); // evaluated first, so that a CommonJS spec's require(esm) of it gets this instance
    ns = await importOnce(pathToFileURL(abs).href);
  } catch (e) {
    throw new KripkeError('load', `cannot load ${file}: ${describe(e, abs)}`);
  }
  const d = ns.default as { __esModule?: unknown; default?: unknown } | undefined;
  if (typeof d === 'object' && d !== null && d.__esModule === true && 'default' in d) return { ...ns, default: d.default };
  return ns;
}

/**
 * `import()`s `url`. Node 20's loader can leave behind an unhandled rejection carrying the very
 * error the import rejects with (a CommonJS module compiled by tsx throws while imported), which
 * would crash the process with a stack trace after the one-line report: that one is dropped.
 */
async function importOnce(url: string): Promise<Record<string, unknown>> {
  const strays: unknown[] = [];
  const keep = (reason: unknown): void => void strays.push(reason);
  process.on('unhandledRejection', keep);
  let failure: { error: unknown } | undefined;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    failure = { error: e };
    throw e;
  } finally {
    await new Promise((done) => setImmediate(done));
    process.off('unhandledRejection', keep);
    for (const reason of strays) {
      if (reason !== failure?.error) queueMicrotask(() => { throw reason; });
    }
  }
}

/** A path as the user reads it: relative to the working directory when inside it. */
function shown(path: string): string {
  const abs = path.startsWith('file:') ? fileURLToPath(path) : resolve(path);
  const rel = relative(process.cwd(), abs);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel) ? rel : abs;
}

/** The 1-based column of esbuild's 0-based UTF-8 byte `column` in `lineText`. */
function column(lineText: string | undefined, byte: number): number {
  if (lineText === undefined) return byte + 1;
  return Buffer.from(lineText, 'utf8').subarray(0, byte).toString('utf8').length + 1;
}

/** Line `n` (1-based) of `file`, if it can be read. */
function lineOf(file: string, n: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[n - 1];
  } catch {
    return undefined;
  }
}

/** One error, then how many more there are. */
function firstOf(found: string[]): string | undefined {
  if (found.length <= 1) return found[0];
  return `${found[0]} (and ${found.length - 1} more error${found.length > 2 ? 's' : ''})`;
}

/** esbuild's "Transform failed with N errors:\nFILE:LINE:COL: ERROR: text", as tsx and vite rethrow it. */
function transformError(message: string): string | undefined {
  const lines = message.split('\n');
  if (!/^Transform failed with \d+ errors?/.test(lines[0] ?? '')) return undefined;
  const found: string[] = [];
  for (const l of lines.slice(1)) {
    const m = /^(.+):(\d+):(\d+): ERROR: (.*)$/.exec(l);
    if (m) found.push(`${shown(m[1])}:${m[2]}:${column(lineOf(m[1], Number(m[2])), Number(m[3]))}: ${m[4]}`);
    else if (l.startsWith('error: ')) found.push(l.slice('error: '.length));
  }
  return firstOf(found);
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number; lineText: string } | null;
}

/**
 * Where a JavaScript syntax error is, which V8 does not say when it compiles an ES module: esbuild
 * (tsx's own compiler) parses `file` and the local modules it imports, packages left out.
 */
function syntaxErrorIn(file: string): string | undefined {
  let esbuild: { buildSync(options: object): unknown };
  try {
    const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/esm/api'));
    esbuild = fromTsx('esbuild') as typeof esbuild;
  } catch {
    return undefined;
  }
  try {
    esbuild.buildSync({ entryPoints: [file], bundle: true, write: false, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
    return undefined;
  } catch (e) {
    const errors = ((e as { errors?: EsbuildMessage[] }).errors ?? []).filter((m) => m.location && !/^Could not resolve/.test(m.text));
    return firstOf(errors.map(({ text, location: l }) => `${shown(l!.file)}:${l!.line}:${column(l!.lineText, l!.column)}: ${text}`));
  }
}

/**
 * Where a user's module threw: the first stack frame outside kripke's sources and node_modules,
 * as `FILE:LINE:COLUMN`, or just `FILE` for CommonJS code that tsx runs from a data: URL (whose
 * positions are in the compiled code).
 */
function thrownAt(e: Error): string | undefined {
  const own = resolve(import.meta.dirname, '..');
  for (const frame of (e.stack ?? '').split('\n').slice(1)) {
    const data = /^\s*at .*data:text\/javascript,.*\?filePath=([^:)\s]+)/.exec(frame);
    const m = data ? undefined : /(?:\(|at )((?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])[^()]*?):(\d+):(\d+)\)?$/.exec(frame.trim());
    if (!data && !m) continue;
    const path = data ? decodeURIComponent(data[1]) : m![1].startsWith('file:') ? fileURLToPath(m![1]) : m![1];
    if (path.startsWith(own + sep) || /[\\/]node_modules[\\/]/.test(path)) continue;
    return data ? shown(path) : `${shown(path)}:${m![2]}:${m![3]}`;
  }
  return undefined;
}

/** What went wrong importing the module at `abs`, on one line. */
function describe(thrown: unknown, abs: string): string {
  // vitest rethrows transform errors as plain objects, so go by shape rather than instanceof
  if (typeof thrown !== 'object' || thrown === null || typeof (thrown as Error).message !== 'string') return messageOf(thrown);
  const e = thrown as Error & { code?: unknown };
  const first = e.message.split('\n')[0];
  const transform = transformError(e.message);
  if (transform) return transform;
  const lexer = /^Parse error (.+):\d+:\d+$/.exec(first); // tsx's es-module-lexer, whose position is approximate
  if (lexer) return syntaxErrorIn(lexer[1]) ?? `${shown(lexer[1])}: syntax error`;
  if (e.name === 'SyntaxError') {
    // a link error ("does not provide an export named") or a CommonJS one has "FILE:LINE\nsource\n  ^^^"
    const arrow = /^((?:file:\/\/)?\S+?):(\d+)\n(.*)\n( *)\^/.exec(e.stack ?? '');
    const where = arrow ? `${shown(arrow[1])}:${arrow[2]}:${arrow[4].length + 1}: ${first}` : syntaxErrorIn(abs);
    return where ?? `${first} (in ${shown(abs)} or a module it imports)`;
  }
  const code = e.code;
  const pkg = /^Cannot find package '([^']+)' imported from (.+)$/.exec(first);
  if (code === 'ERR_MODULE_NOT_FOUND' && pkg) {
    return `cannot find package '${pkg[1]}' imported from ${shown(pkg[2])} (run npm install ${pkg[1]} in that module's folder)`;
  }
  if (code === 'ERR_REQUIRE_CYCLE_MODULE') {
    return `${first.split('. ')[0]}: use import/export syntax, or give the folder a package.json with "type": "module"`;
  }
  if (e.name === 'TypeError' && /reading 'exports'/.test(first) && /esm[\\/]translators/.test(e.stack ?? '')) {
    // Node 20's loader gives a CommonJS module compiled by a hook a require() that cannot load ESM
    const at = thrownAt(e);
    return `${at ? `${at}: ` : ''}a CommonJS module compiled by tsx cannot require() an ES module on Node.js ${process.versions.node}: write the spec with import/export`;
  }
  const at = code === undefined ? thrownAt(e) : undefined;
  return at ? `${first} (at ${at})` : first;
}
