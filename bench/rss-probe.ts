// Preloaded (node --import) into a benchmarked `ksim run` where /usr/bin/time is missing:
// samples the process's RSS every 50 ms and prints the peak to stderr at exit, with the CPU
// time the process used (user + system, µs; on a busy machine a steadier figure than wall time).
let peak = process.memoryUsage.rss();
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 50);
timer.unref();
process.on('exit', () => {
  peak = Math.max(peak, process.memoryUsage.rss());
  const cpu = process.cpuUsage();
  process.stderr.write(`ksim-peak-rss-bytes ${peak}\nksim-cpu-us ${cpu.user + cpu.system}\n`);
});
