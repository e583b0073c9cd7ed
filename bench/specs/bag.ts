/**
 * bag: a selective-repeat sliding-window protocol over a network that is a bag, for the benchmark
 * (`npm run bench -- --jobs bag-M5-W3,bag-M6-W4`). Its states are Set- and List-heavy, the
 * opposite of tlbbench's fixed-width Records of small integers:
 *
 * - `net`, the network, is an immutable.js Set of message Records: it reorders, loses (LoseData,
 *   LoseAck) and duplicates (a retransmission of a message already in flight is the same
 *   element: a bag with set semantics, as TLA+ specs write `msgs`);
 * - the sender slides a window of W messages over M (`base`, and `acked`, a Set of the messages
 *   above `base` that were acknowledged selectively) and retransmits any unacknowledged message
 *   of its window at any time;
 * - the receiver holds `buf`, a Set of the data messages it accepted out of order, and `out`, the
 *   List of values delivered to its application, in order (its window starts at `out.size`); it
 *   acknowledges every data message it receives, old ones included (their first ack may have been
 *   lost).
 *
 * Message i carries the value i, so `out` must read 0, 1, 2, ...: InOrder (the receiver delivers
 * exactly the sender's messages, in order, none twice) and SenderNotAhead (the sender never
 * slides its window past a message the receiver has not delivered) hold, with deadlock checking
 * on (the only terminal state is "all delivered and acknowledged", which stutters in Finished).
 * Two `sometimes` properties show they are not vacuous: AllDelivered (the transfer completes)
 * and Reordered (the receiver buffers a message that overtook an earlier one).
 *
 * SEQ = 0 numbers messages 0, 1, 2, ... (no wrap-around: the protocol is correct). SEQ = K > 0
 * numbers them modulo K, as a real header does: on a reordering network a message that lingers
 * in the bag is then mistaken for a newer one with the same number, and InOrder (or, through an
 * old ack, SenderNotAhead, or a deadlock) is violated as soon as K < M: selective repeat's
 * K >= 2W rule holds for FIFO links only, not on a network that keeps old messages arbitrarily
 * long. With K >= M no number is reused and the state space is SEQ = 0's.
 *
 *   npx kripke check bench/specs/bag.ts --const M=4,W=2            # holds: 945 states
 *   npx kripke check bench/specs/bag.ts --const M=4,W=2,SEQ=3      # InOrder violated, 9 actions
 *
 * Sizes in bench/run.ts (counts there): bag-M5-W3 (M=5, W=3: 8,505 states, ~1 s) and bag-M6-W4
 * (M=6, W=4: 76,545 states, ~8-10 s). About 10 transitions per state; M=7, W=3 is 78,489 states
 * and M=8, W=3 235,953 (~40 s).
 */
import { List, Set as ISet, Record, type RecordOf } from 'immutable';
import { change, defineSpec, range, violated } from '../../src/index.js';

type Kind = 'data' | 'ack';
type Msg = RecordOf<{ kind: Kind; seq: number; val: number }>;
type State = RecordOf<{
  /** sender: the first unacknowledged message */
  base: number;
  /** sender: messages in [base+1, base+W) acknowledged out of order */
  acked: ISet<number>;
  /** the network */
  net: ISet<Msg>;
  /** receiver: delivered values, in order; the receiver's window starts at out.size */
  out: List<number>;
  /** receiver: data messages accepted ahead of out.size */
  buf: ISet<Msg>;
}>;

const MsgR = Record<{ kind: Kind; seq: number; val: number }>({ kind: 'data', seq: 0, val: 0 });

export default defineSpec({
  name: 'bag',
  doc: 'selective-repeat sliding window over a reordering, lossy, duplicating network (a Set of messages)',
  constants: {
    M: { default: 4, min: 1, max: 12, doc: 'messages to transfer' },
    W: { default: 2, min: 1, max: 6, doc: 'window size (sender and receiver)' },
    SEQ: { default: 0, min: 0, max: 16, doc: 'sequence numbers modulo SEQ; 0: unbounded (correct); 0 < SEQ < M: wrap-around bug' },
  },
  build: ({ M, W, SEQ }) => {
    const MSGS = range(0, M - 1);
    const SEQS = SEQ > 0 ? range(0, SEQ - 1) : MSGS;
    /** The distance from sequence number a forward to b, as an endpoint computes it. */
    const ahead = (a: number, b: number): number => (SEQ > 0 ? (((b - a) % SEQ) + SEQ) % SEQ : b - a);
    const seqOf = (i: number): number => (SEQ > 0 ? i % SEQ : i);
    const DATA = MSGS.map((i) => MsgR({ kind: 'data', seq: seqOf(i), val: i }));
    const ACK = SEQS.map((q) => MsgR({ kind: 'ack', seq: q, val: 0 }));
    const S = Record<{ base: number; acked: ISet<number>; net: ISet<Msg>; out: List<number>; buf: ISet<Msg> }>({
      base: 0,
      acked: ISet<number>(),
      net: ISet<Msg>(),
      out: List<number>(),
      buf: ISet<Msg>(),
    });

    return {
      init: S() as State,
      actions: {
        Send: {
          doc: 'the sender (re)transmits an unacknowledged message of its window',
          actor: () => 'sender',
          params: { i: MSGS },
          apply: (s: State, { i }: { i: number }) =>
            i >= s.base && i < s.base + W && !s.acked.has(i) && !s.net.has(DATA[i]) &&
            change(s).set('net', s.net.add(DATA[i])),
        },
        RecvData: {
          doc: 'the receiver takes a data message: buffers it if it falls in its window, delivers what is in order, acks it',
          actor: () => 'receiver',
          params: { i: MSGS },
          apply: (s: State, { i }: { i: number }) => {
            const d = DATA[i];
            if (!s.net.has(d)) return false;
            let net = s.net.remove(d).add(ACK[d.seq]);
            let out = s.out;
            let buf = s.buf;
            const off = ahead(seqOf(out.size), d.seq);
            // in the window, below M (the transfer's length is known), and not already buffered
            if (off >= 0 && off < W && out.size + off < M && !buf.some((b) => b.seq === d.seq)) {
              buf = buf.add(d);
              for (;;) {
                const next = buf.find((b) => b.seq === seqOf(out.size));
                if (next === undefined) break;
                buf = buf.remove(next);
                out = out.push(next.val);
              }
            }
            return change(s).set('net', net).set('out', out).set('buf', buf);
          },
        },
        RecvAck: {
          doc: 'the sender takes an ack: marks the message it names in its window, slides past acknowledged ones',
          actor: () => 'sender',
          params: { q: SEQS },
          apply: (s: State, { q }: { q: number }) => {
            const a = ACK[q];
            if (!s.net.has(a)) return false;
            let base = s.base;
            let acked = s.acked;
            const off = ahead(seqOf(base), q);
            if (off >= 0 && off < W && base + off < M) {
              acked = acked.add(base + off);
              while (acked.has(base)) {
                acked = acked.remove(base);
                base++;
              }
            }
            return change(s).set('net', s.net.remove(a)).set('base', base).set('acked', acked);
          },
        },
        LoseData: {
          doc: 'the network drops a data message',
          actor: () => 'network',
          params: { i: MSGS },
          apply: (s: State, { i }: { i: number }) => s.net.has(DATA[i]) && change(s).set('net', s.net.remove(DATA[i])),
        },
        LoseAck: {
          doc: 'the network drops an ack',
          actor: () => 'network',
          params: { q: SEQS },
          apply: (s: State, { q }: { q: number }) => s.net.has(ACK[q]) && change(s).set('net', s.net.remove(ACK[q])),
        },
        Finished: {
          doc: 'every message delivered and acknowledged: stutter (the only legitimate end)',
          params: {},
          apply: (s: State) => s.base === M && s.out.size === M && s,
        },
      },
      invariants: {
        InOrder: (s: State) => {
          const j = s.out.findIndex((v, k) => v !== k);
          return j < 0 || violated(`the receiver delivered message ${s.out.get(j)} at position ${j}`);
        },
        SenderNotAhead: (s: State) =>
          s.base <= s.out.size || violated(`the sender slid to ${s.base} but the receiver delivered only ${s.out.size}`),
      },
      sometimes: {
        AllDelivered: (s: State) => s.base === M && s.out.size === M,
        Reordered: (s: State) => s.buf.size > 0,
      },
    };
  },
});
