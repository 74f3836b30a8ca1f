import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from './simulation.js';
import type { SimEvent } from './event-queue.js';
import { MAX_RUN_DURATION_US, MAX_SIM_TIME_US } from './time.js';

describe('Simulation', () => {
  it('calls an action with its event\'s target, so one action serves many targets, in time order', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const act = (t: { name: string }) => log.push(`${t.name}@${sim.now}`);
    const a = sim.schedule(20, 'k', 'a', act, { name: 'a' });
    sim.scheduleAt(10, 'k', 'b', act, { name: 'b' });
    sim.schedule(0, 'k', 'c', act, { name: 'c' });
    sim.schedule(5, 'k', 'plain', () => log.push(`plain@${sim.now}`));
    assert.deepEqual(a.target, { name: 'a' });
    sim.run();
    assert.deepEqual(log, ['c@0', 'plain@5', 'b@10', 'a@20']);
  });

  it('starts at time 0 with nothing pending', () => {
    const sim = new Simulation();
    assert.equal(sim.now, 0);
    assert.equal(sim.pending, 0);
    assert.equal(sim.eventsProcessed, 0);
    assert.equal(sim.step(), false);
  });

  it('advances the clock to each event time', () => {
    const sim = new Simulation();
    const seen: Array<[string, number]> = [];
    sim.schedule(30, 'k', 'c', () => seen.push(['c', sim.now]));
    sim.schedule(10, 'k', 'a', () => seen.push(['a', sim.now]));
    sim.scheduleAt(20, 'k', 'b', () => seen.push(['b', sim.now]));
    sim.run();
    assert.deepEqual(seen, [['a', 10], ['b', 20], ['c', 30]]);
    assert.equal(sim.now, 30);
    assert.equal(sim.eventsProcessed, 3);
    assert.equal(sim.pending, 0);
  });

  it('schedules relative to the current time inside actions', () => {
    const sim = new Simulation();
    const times: number[] = [];
    sim.schedule(5, 'k', 'first', () => {
      times.push(sim.now);
      sim.schedule(7, 'k', 'second', () => times.push(sim.now));
    });
    sim.run();
    assert.deepEqual(times, [5, 12]);
  });

  it('step runs exactly one event', () => {
    const sim = new Simulation();
    const ran: string[] = [];
    sim.schedule(1, 'k', 'a', () => ran.push('a'));
    sim.schedule(2, 'k', 'b', () => ran.push('b'));
    assert.equal(sim.step(), true);
    assert.deepEqual(ran, ['a']);
    assert.equal(sim.now, 1);
    assert.equal(sim.pending, 1);
  });

  it('run(until) stops at the horizon, leaves later events and sets now to the horizon', () => {
    const sim = new Simulation();
    const ran: string[] = [];
    sim.schedule(10, 'k', 'a', () => ran.push('a'));
    sim.schedule(50, 'k', 'b', () => ran.push('b')); // exactly at the horizon: runs
    sim.schedule(51, 'k', 'c', () => ran.push('c'));
    sim.run(50);
    assert.deepEqual(ran, ['a', 'b']);
    assert.equal(sim.now, 50);
    assert.equal(sim.pending, 1);
    sim.run(100);
    assert.deepEqual(ran, ['a', 'b', 'c']);
    assert.equal(sim.now, 100);
  });

  it('run(until) advances the clock to the horizon even when idle', () => {
    const sim = new Simulation();
    sim.run(1_000_000);
    assert.equal(sim.now, 1_000_000);
    sim.schedule(0, 'k', 'x', () => {});
    assert.equal(sim.nextEventTime(), 1_000_000);
  });

  it('run(until) with a horizon before now throws', () => {
    const sim = new Simulation();
    sim.run(100);
    assert.throws(() => sim.run(99), /before now/);
  });

  const badSchedules: Array<[string, (sim: Simulation) => unknown, RegExp]> = [
    ['a negative delay', (sim) => sim.schedule(-1, 'k', 's', () => {}), /non-negative integer/],
    ['a fractional delay', (sim) => sim.schedule(1.5, 'k', 's', () => {}), /non-negative integer/],
    ['a NaN delay', (sim) => sim.schedule(Number.NaN, 'k', 's', () => {}), /NaN/],
    ['an infinite delay', (sim) => sim.schedule(Number.POSITIVE_INFINITY, 'k', 's', () => {}), /Infinity/],
    ['an absolute time in the past', (sim) => sim.scheduleAt(99, 'k', 's', () => {}), /in the past/],
    ['a fractional absolute time', (sim) => sim.scheduleAt(100.5, 'k', 's', () => {}), /integer/],
    ['a NaN absolute time', (sim) => sim.scheduleAt(Number.NaN, 'k', 's', () => {}), /NaN/],
    ['an infinite absolute time', (sim) => sim.scheduleAt(Number.POSITIVE_INFINITY, 'k', 's', () => {}), /time Infinity µs is not an integer within the simulator's clock range, 0 to MAX_SIM_TIME_US = 9007199254740991 µs/],
    ['an absolute time past the end of the clock', (sim) => sim.scheduleAt(2 ** 53, 'k', 's', () => {}), /time 9007199254740992 µs is not an integer within the simulator's clock range/],
  ];
  for (const [what, call, message] of badSchedules) {
    it(`throws a plain Error for ${what}`, () => {
      const sim = new Simulation();
      sim.run(100);
      assert.throws(
        () => call(sim),
        (err: unknown) => err instanceof Error && err.constructor === Error && message.test(err.message),
      );
      assert.equal(sim.pending, 0);
    });
  }

  it('saturates a delay that runs past the end of the clock at MAX_SIM_TIME_US', () => {
    const sim = new Simulation();
    sim.run(100);
    const ev = sim.schedule(MAX_SIM_TIME_US, 'k', 'never', () => {});
    assert.equal(ev.time, MAX_SIM_TIME_US);
    assert.equal(sim.nextEventTime(), MAX_SIM_TIME_US);
  });

  it('accepts an event at exactly MAX_SIM_TIME_US (where saturated times land: never within a run)', () => {
    const sim = new Simulation();
    sim.scheduleAt(MAX_SIM_TIME_US, 'k', 'never', () => {});
    sim.run(MAX_RUN_DURATION_US);
    assert.equal(sim.pending, 1);
  });

  it('allows scheduling at exactly now', () => {
    const sim = new Simulation();
    sim.run(100);
    let ranAt = -1;
    sim.scheduleAt(100, 'k', 's', () => (ranAt = sim.now));
    sim.run();
    assert.equal(ranAt, 100);
  });

  it('runs a delay-0 event scheduled by an action after events already queued at the same time', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.schedule(10, 'k', 'a', () => {
      order.push('a');
      sim.schedule(0, 'k', 'a-child', () => order.push('a-child'));
    });
    sim.schedule(10, 'k', 'b', () => order.push('b'));
    sim.schedule(10, 'k', 'c', () => order.push('c'));
    sim.run();
    assert.deepEqual(order, ['a', 'b', 'c', 'a-child']);
    assert.equal(sim.now, 10);
  });

  it('stop() makes run() return after the current event', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.schedule(1, 'k', 'a', () => order.push('a'));
    sim.schedule(2, 'k', 'b', () => {
      order.push('b');
      sim.stop();
    });
    sim.schedule(3, 'k', 'c', () => order.push('c'));
    sim.run(1000);
    assert.deepEqual(order, ['a', 'b']);
    assert.equal(sim.now, 2); // not advanced to the horizon
    assert.equal(sim.pending, 1);
    sim.run(); // a later run() is not affected by the earlier stop
    assert.deepEqual(order, ['a', 'b', 'c']);
  });

  it('does not run cancelled events and counts only live ones as pending', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.schedule(1, 'k', 'a', () => order.push('a'));
    const b = sim.schedule(2, 'k', 'b', () => order.push('b'));
    sim.schedule(3, 'k', 'c', () => order.push('c'));
    sim.cancel(b);
    assert.equal(sim.pending, 2);
    sim.run();
    assert.deepEqual(order, ['a', 'c']);
    assert.equal(sim.eventsProcessed, 2);
  });

  it('lets an action cancel a later event', () => {
    const sim = new Simulation();
    const order: string[] = [];
    const timeout = sim.schedule(100, 'timeout', 'x', () => order.push('timeout'));
    sim.schedule(50, 'reply', 'x', () => {
      order.push('reply');
      sim.cancel(timeout);
    });
    sim.run();
    assert.deepEqual(order, ['reply']);
    assert.equal(sim.now, 50);
  });

  it('calls the onEvent hook before each action, in order', () => {
    const log: string[] = [];
    const sim = new Simulation({
      onEvent: (ev: SimEvent) => log.push(`hook ${ev.time} ${ev.kind} ${ev.subject} now=${sim.now}`),
    });
    sim.schedule(20, 'pod.stop', 'default/web-1', () => log.push('action stop'));
    sim.schedule(10, 'pod.start', 'default/web-1', () => log.push('action start'));
    sim.run();
    assert.deepEqual(log, [
      'hook 10 pod.start default/web-1 now=10',
      'action start',
      'hook 20 pod.stop default/web-1 now=20',
      'action stop',
    ]);
  });

  it('rejects run() called from inside an action', () => {
    const sim = new Simulation();
    sim.schedule(1, 'k', 's', () => sim.run());
    assert.throws(() => sim.run(), /re-entrantly/);
  });

  it('is deterministic: two identical runs produce the same trace', () => {
    const trace = (): string => {
      const sim = new Simulation();
      const out: string[] = [];
      for (let i = 0; i < 100; i++) {
        sim.schedule((i * 37) % 11, 'k', String(i), () => {
          out.push(`${sim.now}:${i}`);
          if (i % 3 === 0) sim.schedule(i % 4, 'k', `child${i}`, () => out.push(`${sim.now}:c${i}`));
        });
      }
      sim.run();
      return out.join(',');
    };
    assert.equal(trace(), trace());
  });
});

it('run with maxEvents stops after that many events, keeps the clock at the last one, and resumes', () => {
  const sim = new Simulation();
  const seen: number[] = [];
  for (const t of [10, 20, 30, 40]) sim.scheduleAt(t, 'k', '', () => seen.push(t));
  assert.equal(sim.run(100, 3), false);
  assert.deepEqual(seen, [10, 20, 30]);
  assert.equal(sim.now, 30);
  assert.equal(sim.run(100, 3), true);
  assert.deepEqual(seen, [10, 20, 30, 40]);
  assert.equal(sim.now, 100);
});

it('runs delay-0 events, ordered streams and other events in (time, scheduling) order', () => {
  const sim = new Simulation();
  const stream = sim.orderedStream();
  const order: string[] = [];
  const log = (s: string) => () => order.push(`${sim.now}:${s}`);
  sim.schedule(5, 'k', '', log('a'));
  stream.scheduleAt(5, 'k', '', log('b'));
  sim.schedule(0, 'k', '', () => {
    order.push(`${sim.now}:c`);
    sim.schedule(0, 'k', '', log('d')); // after e, scheduled before it
    stream.scheduleAt(5, 'k', '', log('f'));
  });
  sim.scheduleAt(0, 'k', '', log('e'));
  stream.scheduleAt(3, 'k', '', log('g')); // before the stream's last: still at 3
  sim.schedule(3, 'k', '', log('h'));
  sim.run();
  assert.deepEqual(order, ['0:c', '0:e', '0:d', '3:g', '3:h', '5:a', '5:b', '5:f']);
});

it('an ordered stream refuses times in the past like scheduleAt', () => {
  const sim = new Simulation();
  const stream = sim.orderedStream();
  sim.schedule(10, 'k', '', () => {});
  sim.run();
  assert.throws(() => stream.scheduleAt(5, 'k', 's', () => {}), /cannot schedule in the past: time 5 µs < now 10 µs/);
});

it('an event scheduled again runs as a new one scheduled at that point would: same order, one object', () => {
  // Two periodic timers (period 10, phases 3 and 7) and one-off events at the same times: each
  // timer scheduling itself again must keep (time, scheduling order) exactly as scheduleAt does.
  const run = (again: boolean, hooks = false): { order: string[]; objects: number } => {
    const sim = new Simulation(hooks ? { afterEvent: (ev) => assert.equal(ev.time, sim.now) } : {});
    const stream = sim.orderedStream();
    const order: string[] = [];
    const seen = new Set<object>();
    const timer = (name: string, phase: number) => {
      let ev: ReturnType<typeof stream.scheduleAt> | null = null;
      const tick = () => {
        order.push(`${sim.now}:${name}`);
        sim.schedule(0, 'k', '', () => order.push(`${sim.now}:${name}-then`));
        const at = sim.now + 10;
        ev = again && ev !== null ? stream.scheduleAgain(ev, at) : stream.scheduleAt(at, 'timer', name, tick);
        seen.add(ev);
      };
      ev = stream.scheduleAt(phase, 'timer', name, tick);
      seen.add(ev);
    };
    timer('a', 7);
    timer('b', 3);
    for (const t of [13, 17, 20, 23]) sim.scheduleAt(t, 'k', '', () => order.push(`${sim.now}:x`));
    sim.run(35);
    return { order, objects: seen.size };
  };
  const fresh = run(false);
  const reused = run(true);
  assert.deepEqual(reused.order, fresh.order);
  assert.deepEqual(fresh.order.slice(0, 8), ['3:b', '3:b-then', '7:a', '7:a-then', '13:x', '13:b', '13:b-then', '17:x']);
  assert.equal(fresh.objects, 9); // b runs at 3, 13, 23, 33 and a at 7, 17, 27, each scheduling the next
  assert.equal(reused.objects, 2);
  // With event hooks, each run's event stays as it ran (the hook sees its own time): new objects.
  const hooked = run(true, true);
  assert.deepEqual(hooked.order, fresh.order);
  assert.equal(hooked.objects, 9);
});

it('only an event that ran can be scheduled again', () => {
  const sim = new Simulation();
  const stream = sim.orderedStream();
  const ev = stream.scheduleAt(5, 'timer', 'n1', () => {});
  assert.throws(() => stream.scheduleAgain(ev, 15), /only an event that ran can be queued again \(kind=timer, subject=n1\)/);
  sim.run();
  sim.cancel(ev);
  assert.throws(() => stream.scheduleAgain(ev, 15), /only an event that ran/);
});
