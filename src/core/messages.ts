/**
 * The messages between the parallel checker's coordinator (parallel.ts) and its workers
 * (worker.ts): one request and one reply per worker and step, typed on both sides.
 */
import type { SharedCodeBuffers } from './codec/shared-codes.js';

/** Something a worker met while expanding a level, reported in chunk order. */
export interface WorkerEvent {
  type: 'inv' | 'witness' | 'deadlock' | 'action' | 'error' | 'unsupported';
  chunk: number;
  ord: number;
  prop?: string;
  index?: number;
  reason?: string;
  /** index in this worker's output of the new state concerned */
  out?: number;
  /** id of the expanded state concerned */
  id?: number;
  ai?: number;
  message?: string;
  action?: string;
}

/** Coordinator -> worker: load the spec, learn the shape, attach to the control array. */
export interface InitRequest {
  type: 'init';
  specPath: string;
  constants: readonly (readonly [string, string])[];
  properties: readonly string[];
  /** slots per encoded state the coordinator learnt; the worker must learn the same */
  W: number;
  ctl: SharedArrayBuffer;
  /** the slot codes shared by all threads */
  codes: SharedCodeBuffers;
  /** symmetry reduction, if asked for */
  symmetry?: 'sort' | 'exhaustive';
}

/** Coordinator -> worker: expand the level in `lev`, claiming chunks from the control array. */
export interface LevelRequest {
  type: 'level';
  /** the level's encoded states (`width` bytes per code), then their ids (see SharedLevel) */
  lev: SharedArrayBuffer;
  n: number;
  width: 1 | 2 | 4;
  nEscaped: number;
  /** the shared codes' buffers, when they have grown */
  codes?: SharedCodeBuffers;
  chunk: number;
  /** the shared fingerprint table, when it is new to this worker (first level, or grown) */
  table?: SharedArrayBuffer;
  violated: string[];
  witnessed: boolean[];
  continue: boolean;
  deadline: number;
  /** table entries after which the worker stops claiming chunks (the table must grow) */
  limit: number;
  /** the depth limit's level: successors are looked up, not recorded */
  probe: boolean;
  memoryBudget?: number;
}

/** Worker -> coordinator: the answer to an InitRequest. */
export interface InitReply {
  type: 'init';
  ok: boolean;
  message?: string;
}

/** Worker -> coordinator: the new states of a level, grouped by chunk, and what it met. */
export interface LevelReply {
  type: 'level';
  /** the new states' packed rows (codec/packing.ts), `width` bytes per code, in chunks (see CodeList) */
  bytes: SharedArrayBuffer[];
  width: 1 | 2 | 4;
  /** the escaped ones among them: output index, and (W each) their whole codes */
  escIdx: number[];
  escCodes: number[];
  parents: ArrayBuffer;
  actions: ArrayBuffer;
  n: number;
  /** (chunk, first output, count) triples */
  chunks: number[];
  events: WorkerEvent[];
  generated: number;
  fired: Float64Array;
  timedOut: boolean;
  overBudget: boolean;
  beyond: boolean;
}

/** Worker -> coordinator: the worker itself failed (kripke's fault, not the spec's). */
export interface FatalReply {
  type: 'fatal';
  message: string;
}

export type WorkerRequest = InitRequest | LevelRequest | { type: 'exit' };
export type WorkerReply = InitReply | LevelReply | FatalReply;
