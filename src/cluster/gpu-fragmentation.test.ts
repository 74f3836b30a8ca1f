import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fgdScore, packDevices, TypicalPods, type WeightedShape } from './gpu-fragmentation.js';

// Typical pods of the hand-worked cases: A asks 4 cores and half a GPU (50 %), B 8 cores and a
// whole GPU (30 %), C 2 cores and no GPU (20 %).
const A: WeightedShape = { cpuMilli: 4000, gpuMilli: 500, gpuCount: 1, models: [], freq: 0.5 };
const B: WeightedShape = { cpuMilli: 8000, gpuMilli: 1000, gpuCount: 1, models: [], freq: 0.3 };
const C: WeightedShape = { cpuMilli: 2000, gpuMilli: 0, gpuCount: 0, models: [], freq: 0.2 };
const typ = new TypicalPods([A, B, C]);

describe('the FGD fragmentation measure on small nodes worked by hand', () => {
  const cases: { name: string; cpuLeft: number; free: number[]; model?: string; typical?: TypicalPods; want: number }[] = [
    // C: 0.2 × 1300 (all idle); A fits (device 0), device 1's 300 < 500 is lost: 0.5 × 300;
    // B fits, 300 lost: 0.3 × 300.
    { name: 'a node with one free and one 300-milli device', cpuLeft: 10000, free: [1000, 300], want: 260 + 150 + 90 },
    // Half a GPU placed on device 0 with 3 cores: B no longer fits (no whole device): 0.3 × 800.
    { name: 'the same node after half a GPU and 3 cores', cpuLeft: 7000, free: [500, 300], want: 160 + 150 + 240 },
    // Everything fits, nothing is lost but C's share (CPU-only pods use no GPU).
    { name: 'an empty 2-GPU node', cpuLeft: 20000, free: [1000, 1000], want: 400 },
    // A and B lack CPU: all idle GPU counts for them too.
    { name: 'a node short of CPU', cpuLeft: 3000, free: [1000, 1000], want: 2000 },
    { name: 'a node with no idle GPU', cpuLeft: 20000, free: [0, 0], want: 0 },
    // A shape that only accepts V100 counts a T4 node's idle GPU as fragmented.
    { name: 'a model the typical pod does not accept', cpuLeft: 20000, free: [1000], model: 'T4', typical: new TypicalPods([{ ...A, models: ['V100M16'], freq: 1 }]), want: 1000 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(Math.round((c.typical ?? typ).frag(c.cpuLeft, Int32Array.from(c.free), c.model ?? '') * 1e6) / 1e6, c.want);
    });
  }

  it('scores a change as sigmoid(Δ / 1000) × 100, truncated', () => {
    assert.equal(fgdScore(500, 550), 48); // sigmoid(-0.05) = 0.4875
    assert.equal(fgdScore(1000, 0), 73); // sigmoid(1) = 0.7311
    assert.equal(fgdScore(0, 0), 50);
  });

  it('packs a pod onto the devices with the least room that fits, lowest index on ties', () => {
    const ids: number[] = [];
    assert.equal(packDevices([1000, 300, 600, 600], 500, 1, ids), 1);
    assert.deepEqual(ids, [2]);
    assert.equal(packDevices([1000, 1000, 0, 1000], 1000, 2, ids), 2);
    assert.deepEqual(ids, [0, 1]);
    assert.equal(packDevices([1000, 300], 1000, 2, ids), 1);
  });
});

describe('typical pods (upstream GetTypicalPods)', () => {
  const shape = (cpuMilli: number, gpuMilli: number) => ({ cpuMilli, gpuMilli, gpuCount: gpuMilli > 0 ? 1 : 0, models: [] });
  const pods = [shape(4000, 500), shape(4000, 500), shape(4000, 500), shape(8000, 1000), shape(8000, 1000), shape(2000, 0)];

  it('takes the most popular shapes until they cover 95 % of the pods (all six here)', () => {
    const t = TypicalPods.fromPods(pods);
    assert.deepEqual(t.shapes.map((s) => [s.cpuMilli, Math.round(s.freq * 1000) / 1000]), [[4000, 0.5], [8000, 0.333], [2000, 0.167]]);
  });

  it('renormalises over the shapes taken when the threshold leaves some out', () => {
    const t = TypicalPods.fromPods(pods, 80);
    assert.deepEqual(t.shapes.map((s) => [s.cpuMilli, s.freq]), [[4000, 0.6], [8000, 0.4]]);
  });
});
