// Locations of the repository's files, for tests (this file compiles to dist/src/testing/).
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const KSIM_BIN = fileURLToPath(new URL('../../../bin/ksim.js', import.meta.url));

export function repoPath(rel: string): string {
  return fileURLToPath(new URL(`../../../${rel}`, import.meta.url));
}
