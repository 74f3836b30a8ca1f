// The control-plane settings that set recovery time, swept end to end through the CLI: ksim sweep
// --matrix controlPlane.controllerManager.nodeMonitorGracePeriod=20s,40s,50s over zone-outage.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { KSIM_BIN, REPO_ROOT } from '../src/testing/repo-paths.js';
import { tempDir } from '../src/testing/temp-dir.js';

function ksim(args: readonly string[]) {
  return spawnSync(process.execPath, [KSIM_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
}

test('sweep --matrix over nodeMonitorGracePeriod: zone-a is detected 20/40/50 s + a tick after the leases stop, and evicted that much earlier', () => {
  const out = join(tempDir('ksim-recovery-sweep-'), 'out');
  const r = ksim(['sweep', 'scenarios/zone-outage.yaml', '--seeds', '1', '--matrix', 'controlPlane.controllerManager.nodeMonitorGracePeriod=20s,40s,50s', '--workers', '1', '-q', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  const rows = csv(join(out, 'sweep.csv'));
  assert.deepEqual(rows.map((x) => [x['run_id'], x['controlPlane.controllerManager.nodeMonitorGracePeriod'], x['status']]), [['r1', '20s', 'ok'], ['r2', '40s', 'ok'], ['r3', '50s', 'ok']]);
  // Seed 1: the last zone-a node's last renewal before the outage at 120 s is seen at 120 s;
  // NotReady at the first tick after 120 s + grace. Its pods go 300 s after the first taint.
  const recovery = ['r1', 'r2', 'r3'].map((id) => csv(join(out, id, 'recovery.csv'))[0] as Record<string, string>);
  assert.deepEqual(recovery.map((x) => x['detected_s']), ['145', '165', '175']);
  assert.deepEqual(recovery.map((x) => Math.floor(Number(x['first_eviction_s']))), [450, 470, 480]);
  // 50s is the default: the same run as without the setting.
  const plain = join(tempDir('ksim-recovery-plain-'), 'out');
  assert.equal(ksim(['run', 'scenarios/zone-outage.yaml', '--seed', '1', '-q', '-o', plain]).status, 0);
  for (const f of ['recovery.csv', 'placements.csv', 'timeseries.csv']) assert.equal(readFileSync(join(out, 'r3', f), 'utf8'), readFileSync(join(plain, f), 'utf8'), f);
});

test('a bad setting in --matrix is refused before any run, naming the field (exit 2)', () => {
  const out = join(tempDir('ksim-recovery-bad-'), 'out');
  const r = ksim(['sweep', 'scenarios/zone-outage.yaml', '--seeds', '1', '--matrix', 'controlPlane.controllerManager.unhealthyZoneThreshold=0.5,1.5', '-q', '-o', out]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /controlPlane\.controllerManager\.unhealthyZoneThreshold: expected a number > 0 and <= 1, got 1\.5/);
});
