import { engineBenchmarks } from './engine.bench.js';

const rows = await engineBenchmarks();
console.table(rows);
