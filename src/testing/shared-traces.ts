// The real public traces in ../shared/traces (next to the repository, never copied into it).
// Tests that read them skip, saying why, when the folder is absent.
import { existsSync } from 'node:fs';
import { repoPath } from './repo-paths.js';

export const SHARED_TRACES = repoPath('../shared/traces');

export function sharedTrace(rel: string): string {
  return `${SHARED_TRACES}/${rel}`;
}

/** node:test's skip option: false when the trace is there, else the reason. */
export function skipWithoutTrace(rel: string): false | string {
  return existsSync(sharedTrace(rel)) ? false : `${sharedTrace(rel)} is absent: the real traces live in ../shared/traces next to the repository`;
}
