import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventQueue, type SimEvent } from './event-queue.js';

const noop = (): void => {};

function drain(q: EventQueue): string[] {
  const out: string[] = [];
  for (let ev = q.pop(); ev !== undefined; ev = q.pop()) out.push(ev.subject);
  return out;
}

describe('EventQueue', () => {
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
});
