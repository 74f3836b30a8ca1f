#!/usr/bin/env node
// The ksim command: dist/ holds the compiled TypeScript. A checkout that was never built has no
// dist/: say how to build it instead of a module-not-found stack trace.
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('ksim: dist/ is not built in this checkout: run npm run build (after npm ci)\n');
  process.exit(1);
}
const { runMain } = await import(main.href);
runMain();
