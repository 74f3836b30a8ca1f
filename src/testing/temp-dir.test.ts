// Tests leave no /tmp/ksim-* folders behind (issue 14 item 6): every temporary folder a test
// makes comes from tempDir, which removes it when the test process exits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './repo-paths.js';

test('a folder from tempDir exists while the process runs and is gone after it exits', () => {
  const module = new URL('./temp-dir.js', import.meta.url).href;
  const script = `import { existsSync, writeFileSync } from 'node:fs'; const { tempDir } = await import(${JSON.stringify(module)}); const d = tempDir('ksim-tempdir-test-'); writeFileSync(d + '/f.txt', 'x'); console.log(d, existsSync(d));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [dir, existed] = r.stdout.trim().split(' ');
  assert.equal(existed, 'true');
  assert.equal(existsSync(dir as string), false);
});

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

test('no test makes a temporary folder other than through tempDir', () => {
  const offenders = [...tsFiles(join(REPO_ROOT, 'src')), ...tsFiles(join(REPO_ROOT, 'test'))]
    .filter((f) => !f.endsWith('src/testing/temp-dir.ts') && /\bmkdtemp(Sync)?\(/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(REPO_ROOT, f));
  assert.deepEqual(offenders, []);
});
