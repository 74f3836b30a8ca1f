// Output paths the file system refuses are input errors naming the path the user gave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.js';
import { InputError } from './input-error.js';
import { makeFolder, outputPathError, writingTo } from './output-path.js';

test('a folder that cannot be made, or a file that cannot be written, is an InputError naming the path given and what is in the way', () => {
  const dir = tempDir('ksim-output-path-');
  writeFileSync(join(dir, 'f'), '');
  assert.throws(() => makeFolder(join(dir, 'f', 'a', 'b'), 'out/b'), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.message, `out/b: expected a place ksim can write to, got a file in the way at ${join(dir, 'f')}`);
    return true;
  });
  mkdirSync(join(dir, 'd'));
  assert.throws(() => writingTo('report.html', () => writeFileSync(join(dir, 'd'), 'x')), {
    message: `report.html: expected a place ksim can write to, got a folder in the way at ${join(dir, 'd')}`,
  });
  makeFolder(join(dir, 'x', 'y'), 'x/y');
  assert.equal(writingTo('x/y/z', () => 7), 7);
  const bug = new TypeError('not the path\'s fault');
  assert.equal(outputPathError('somewhere', bug), bug, 'other errors pass through (an internal error stays one)');
});
