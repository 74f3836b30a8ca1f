import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// src/version.ts and dist/src/version.js are both two levels below the package root.
const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };

export const KSIM_VERSION: string = pkg.version;
