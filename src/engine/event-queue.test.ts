import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EventQueue, type SimEvent } from './event-queue.js';

const noop = (): void => {};

function drain(q: EventQueue): string[] {
  const out: string[] = [];
  for (let ev = q.pop(); ev !== undefined; ev = q.pop()) out.push(ev.subject);
  return out;
}

describe('EventQueue', () => {
  it('keeps no reference to an event once it has popped, whatever the heap did before', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const q = new EventQueue();
    // 200 events in the heap at once (all within the first bucket), then all popped. Made in a
    // function of their own: this async function's saved registers would keep the last target.
    const fill = (): WeakRef<object>[] => {
      const refs: WeakRef<object>[] = [];
      for (let i = 0; i < 200; i++) {
        const target = { i };
        refs.push(new WeakRef(target));
        q.push(200 - i, 'k', String(i), noop, target);
      }
      return refs;
    };
    const targets = fill();
    assert.equal(drain(q).length, 200);
    // The heap in use again, smaller: its slots past the end must not keep the old events.
    q.push(5_000, 'k', 'later', noop, { later: true });
    await new Promise((r) => setImmediate(r)); // WeakRefs are held until the end of the job
    gc();
    assert.deepEqual(targets.filter((w) => w.deref() !== undefined).map((w) => (w.deref() as { i: number }).i), []);
    assert.equal(q.size, 1);
  });

  it('pops equal times in insertion order', () => {
    const q = new EventQueue();
    q.push(5, 'k', 'a', noop);
    q.push(1, 'k', 'b', noop);
    q.push(5, 'k', 'c', noop);
    q.push(1, 'k', 'd', noop);
    assert.deepEqual(drain(q), ['b', 'd', 'a', 'c']);
  });

  it('keeps insertion order among many equal times mixed with other times', () => {
    const q = new EventQueue();
    const expected: string[] = [];
    // 300 events at times 0..2, pushed interleaved.
    for (let i = 0; i < 300; i++) q.push(2 - (i % 3), 'k', String(i), noop);
    for (const t of [0, 1, 2]) {
      for (let i = 0; i < 300; i++) if (2 - (i % 3) === t) expected.push(String(i));
    }
    assert.deepEqual(drain(q), expected);
  });

  it('assigns increasing sequence numbers and keeps the given fields', () => {
    const q = new EventQueue();
    const a = q.push(7, 'pod.start', 'default/web-1', noop);
    const b = q.push(3, 'pod.stop', 'default/web-2', noop);
    assert.equal(a.seq + 1, b.seq);
    assert.equal(a.time, 7);
    assert.equal(a.kind, 'pod.start');
    assert.equal(a.subject, 'default/web-1');
    assert.equal(a.action, noop);
    assert.equal(a.cancelled, false);
  });

  it('skips cancelled events and keeps size equal to the live count', () => {
    const q = new EventQueue();
    const evs: SimEvent[] = [];
    for (let i = 0; i < 6; i++) evs.push(q.push(i, 'k', `e${i}`, noop));
    assert.equal(q.size, 6);
    q.cancel(evs[1]!);
    q.cancel(evs[4]!);
    assert.equal(q.size, 4);
    q.cancel(evs[1]!); // twice is a no-op
    assert.equal(q.size, 4);
    assert.equal(evs[1]!.cancelled, true);
    assert.deepEqual(drain(q), ['e0', 'e2', 'e3', 'e5']);
    assert.equal(q.size, 0);
  });

  it('does not change size when an already-popped event is cancelled', () => {
    const q = new EventQueue();
    const a = q.push(1, 'k', 'a', noop);
    q.push(2, 'k', 'b', noop);
    assert.equal(q.pop(), a);
    q.cancel(a);
    assert.equal(q.size, 1);
    assert.deepEqual(drain(q), ['b']);
  });

  it('peekTime skips cancelled events', () => {
    const q = new EventQueue();
    const a = q.push(1, 'k', 'a', noop);
    q.push(9, 'k', 'b', noop);
    assert.equal(q.peekTime(), 1);
    q.cancel(a);
    assert.equal(q.peekTime(), 9);
    assert.equal(q.size, 1);
  });

  it('returns undefined from pop and peekTime when empty or all cancelled', () => {
    const q = new EventQueue();
    assert.equal(q.pop(), undefined);
    assert.equal(q.peekTime(), undefined);
    const a = q.push(1, 'k', 'a', noop);
    q.cancel(a);
    assert.equal(q.size, 0);
    assert.equal(q.peekTime(), undefined);
    assert.equal(q.pop(), undefined);
  });

  it('popUntil pops only events at or before the limit', () => {
    const q = new EventQueue();
    q.push(10, 'k', 'a', noop);
    const b = q.push(15, 'k', 'b', noop);
    q.push(20, 'k', 'c', noop);
    q.cancel(b);
    assert.equal(q.popUntil(15)?.subject, 'a');
    assert.equal(q.popUntil(15), undefined);
    assert.equal(q.size, 1);
    assert.equal(q.popUntil(20)?.subject, 'c');
  });

  it('compacts many cancelled events without disturbing the order of live ones', () => {
    const q = new EventQueue();
    const evs: SimEvent[] = [];
    for (let i = 0; i < 20_000; i++) evs.push(q.push(i % 7, 'k', String(i), noop));
    const expected: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      if (i % 5 === 0) expected.push(String(i));
      else q.cancel(evs[i]!);
    }
    assert.equal(q.size, 4000);
    // The heap itself was compacted: far fewer than the 20,000 pushed events remain in it.
    const heapSize = (q as unknown as { heap: { size: number } }).heap.size;
    assert.ok(heapSize < 10_000, `heap still holds ${heapSize} events`);
    expected.sort((x, y) => (Number(x) % 7) - (Number(y) % 7) || Number(x) - Number(y));
    assert.deepEqual(drain(q), expected);
    assert.equal(q.size, 0);
  });

  it('keeps size right when the cancelled flag is set directly', () => {
    const q = new EventQueue();
    const a = q.push(1, 'k', 'a', noop);
    q.push(2, 'k', 'b', noop);
    a.cancelled = true;
    assert.deepEqual(drain(q), ['b']);
    assert.equal(q.size, 0);
  });

  for (const directFlags of [false, true]) {
  it(`lanes: events pushed through lanes and the heap pop in (time, insertion) order, exactly as one heap${directFlags ? ' (some cancelled by setting the flag)' : ''}`, () => {
    // A seeded mix: two lanes fed in time order (with some out-of-order pushes, which go to the
    // heap), heap pushes at any time, pops in between, and cancellations.
    let seed = directFlags ? 11 : 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const q = new EventQueue();
    const lanes = [q.newLane(), q.newLane()];
    const laneTime = [0, 0];
    const queued: { ev: SimEvent; time: number; seq: number }[] = [];
    const popped: string[] = [];
    const expected: string[] = [];
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      const op = rand(10);
      if (op < 3) {
        const l = rand(2);
        // Mostly in order, sometimes earlier than the lane's last (then it goes to the heap).
        const t = rand(8) === 0 ? now + rand(3) : (laneTime[l] = Math.max(laneTime[l]!, now) + rand(4));
        queued.push({ ev: q.pushLane(lanes[l]!, t, 'k', String(i), noop), time: t, seq: i });
      } else if (op < 6) {
        const t = now + rand(50);
        queued.push({ ev: q.push(t, 'k', String(i), noop), time: t, seq: i });
      } else if (op < 7 && queued.length > 0) {
        const c = queued[rand(queued.length)]!;
        if (directFlags && rand(2) === 0) c.ev.cancelled = true; // counted when it reaches the front
        else q.cancel(c.ev);
      } else {
        const live = queued.filter((x) => !x.ev.cancelled);
        live.sort((a, b) => a.time - b.time || a.seq - b.seq);
        const ev = q.pop();
        assert.equal(ev?.subject, live[0]?.ev.subject);
        if (ev !== undefined) {
          now = ev.time;
          popped.push(ev.subject);
          expected.push(live[0]!.ev.subject);
          queued.splice(queued.findIndex((x) => x.ev === ev), 1);
        }
        if (!directFlags) assert.equal(q.size, live.length - (ev === undefined ? 0 : 1));
      }
    }
    assert.ok(popped.length > 900, `${popped.length} pops`);
    assert.deepEqual(popped, expected);
    const rest = queued.filter((x) => !x.ev.cancelled).sort((a, b) => a.time - b.time || a.seq - b.seq).map((x) => x.ev.subject);
    if (!directFlags) assert.equal(q.size, rest.length);
    assert.deepEqual(drain(q), rest);
    assert.equal(q.size, 0);
  });
  }

  for (const directFlags of [false, true]) {
  it(`ring: events from microseconds to hours ahead (the ring of later buckets, past its reach, never) pop in (time, insertion) order${directFlags ? ' (some cancelled by setting the flag)' : ''}`, () => {
    let seed = directFlags ? 5 : 3;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const S = 1_000_000;
    // Delays of a few µs (the heap), of seconds to minutes (the ring's buckets, some on a bucket's
    // edge), past the ring's 1,024 s reach, and "never"; the clock jumps when the next event is
    // far ahead (the final drain reaches the hours-ahead ones).
    const delay = (): number => {
      const k = rand(12);
      if (k < 4) return rand(5);
      if (k < 8) return rand(120) * S + (rand(2) === 0 ? 0 : rand(S));
      if (k < 9) return S - rand(2);
      if (k < 10) return 1000 * S + rand(200) * S;
      if (k < 11) return 3 * 3600 * S + rand(1000);
      return Number.MAX_SAFE_INTEGER;
    };
    const q = new EventQueue();
    const lane = q.newLane();
    let laneTime = 0;
    const queued: { ev: SimEvent; time: number; seq: number }[] = [];
    let now = 0;
    let pops = 0;
    for (let i = 0; i < 8000; i++) {
      const op = rand(10);
      if (op < 4) {
        const d = delay();
        const t = d === Number.MAX_SAFE_INTEGER ? d : now + d;
        queued.push({ ev: q.push(t, 'k', String(i), noop), time: t, seq: i });
      } else if (op < 5) {
        laneTime = Math.max(laneTime, now) + rand(3) * S;
        queued.push({ ev: q.pushLane(lane, laneTime, 'k', String(i), noop), time: laneTime, seq: i });
      } else if (op < 6 && queued.length > 0) {
        const c = queued[rand(queued.length)]!;
        if (directFlags && rand(2) === 0) c.ev.cancelled = true;
        else q.cancel(c.ev);
      } else {
        // Pop up to a limit now and then (the run loop's popUntil), else the next event.
        const limit = rand(4) === 0 ? now + rand(3) * S : Number.POSITIVE_INFINITY;
        const live = queued.filter((x) => !x.ev.cancelled).sort((a, b) => a.time - b.time || a.seq - b.seq);
        const want = live[0] !== undefined && live[0].time <= limit ? live[0] : undefined;
        const ev = q.popUntil(limit);
        assert.equal(ev?.subject, want?.ev.subject, `pop ${pops}`);
        if (ev !== undefined) {
          queued.splice(queued.findIndex((x) => x.ev === ev), 1);
          // A "never" event pops without moving the clock the test keeps for new delays.
          if (ev.time !== Number.MAX_SAFE_INTEGER) {
            now = ev.time;
            pops++;
          }
        }
        if (!directFlags) assert.equal(q.size, live.length - (ev === undefined ? 0 : 1));
      }
    }
    assert.ok(pops > 1000, `${pops} pops`);
    assert.ok(now > 60 * S, `the clock reached only ${now} µs`);
    const rest = queued.filter((x) => !x.ev.cancelled).sort((a, b) => a.time - b.time || a.seq - b.seq).map((x) => x.ev.subject);
    assert.deepEqual(drain(q), rest);
    assert.equal(q.size, 0);
  });
  }

  it('ring: compaction drops cancelled events waiting in the ring and keeps the order of the others', () => {
    const q = new EventQueue();
    const evs: SimEvent[] = [];
    // Seconds to minutes ahead: all in the ring.
    for (let i = 0; i < 20_000; i++) evs.push(q.push(2_000_000 + (i % 300) * 1_000_000 + (i % 7), 'k', String(i), noop));
    const expected: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      if (i % 5 === 0) expected.push(String(i));
      else q.cancel(evs[i]!);
    }
    assert.equal(q.size, 4000);
    const inRing = (q as unknown as { inRing: number }).inRing;
    // Compacted when the cancelled outnumbered the live: far fewer than the 20,000 pushed remain.
    assert.ok(inRing <= 5000, `the ring still holds ${inRing} events`);
    expected.sort((x, y) => (Number(x) % 300) - (Number(y) % 300) || (Number(x) % 7) - (Number(y) % 7) || Number(x) - Number(y));
    assert.deepEqual(drain(q), expected);
    assert.equal(q.size, 0);
  });

  it('lanes: an event earlier than its lane\'s last goes to the heap and still pops at its time', () => {
    const q = new EventQueue();
    const lane = q.newLane();
    q.pushLane(lane, 10, 'k', 'a', noop);
    q.pushLane(lane, 5, 'k', 'b', noop);
    q.pushLane(lane, 10, 'k', 'c', noop);
    q.push(10, 'k', 'd', noop);
    assert.deepEqual(drain(q), ['b', 'a', 'c', 'd']);
  });

  it('lanes: a long lane drops its popped events in batches and keeps its order', () => {
    const q = new EventQueue();
    const lane = q.newLane();
    for (let i = 0; i < 5000; i++) q.pushLane(lane, i, 'k', String(i), noop);
    for (let i = 0; i < 3000; i++) assert.equal(q.pop()?.subject, String(i));
    const kept = (q as unknown as { lanes: { events: unknown[] }[] }).lanes[0]!.events.length;
    assert.ok(kept < 5000, `the lane still holds ${kept} events`);
    for (let i = 5000; i < 6000; i++) q.pushLane(lane, i, 'k', String(i), noop);
    assert.deepEqual(drain(q), Array.from({ length: 3000 }, (_, i) => String(3000 + i)));
    assert.equal(q.size, 0);
  });
});
