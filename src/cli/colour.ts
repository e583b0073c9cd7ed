/**
 * Optional colour (node:util `styleText`): on only when the stream is a terminal and NO_COLOR is
 * unset (or empty), or when FORCE_COLOR forces it (FORCE_COLOR=0 or false turns it off, as in
 * Node). Colour marks the verdict line (green ok, red violation or error, yellow incomplete) and
 * the error headings; output that is not coloured is byte-identical to plain text.
 */
import { styleText } from 'node:util';

/** What a piece of text says: ok, bad (violation, error), warn (incomplete), heading (`Error:`). */
export type Tone = 'ok' | 'bad' | 'warn' | 'heading';

/** Colours `text` for its tone (or leaves it as it is). */
export type Paint = (tone: Tone, text: string) => string;

/** No colour. */
export const plain: Paint = (_tone, text) => text;

const FORMATS: Record<Tone, Parameters<typeof styleText>[0]> = { ok: 'green', bad: 'red', warn: 'yellow', heading: ['bold', 'red'] };

/** Whether output to `stream` is coloured, given the environment. */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Colours with styleText (our own decision made, not the stream check of Node 20.20+). */
export const colour: Paint = (tone, text) => styleText(FORMATS[tone], text, { validateStream: false });

/** The paint for output to `stream`: `colour` if wanted, else `plain`. */
export function painter(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Paint {
  return colourWanted(stream, env) ? colour : plain;
}
