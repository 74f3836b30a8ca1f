// A client-side rate limiter with client-go's semantics (flowcontrol.NewTokenBucketRateLimiter,
// on golang.org/x/time/rate): `burst` tokens, refilled at `qps` per second; each request
// reserves a token and waits until it exists. Times are integer microseconds.
import { MAX_SIM_TIME_US } from '../engine/time.js';

export class TokenBucket {
  private tokens: number;
  private lastUs = 0;

  constructor(
    readonly qps: number,
    readonly burst: number,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`TokenBucket: qps must be > 0 and burst >= 1 (got ${qps}, ${burst})`);
    this.tokens = burst;
  }

  /** Reserves one token at `nowUs`; returns how long the request must wait for it (µs). The wait
   * saturates so that nowUs + wait is at most MAX_SIM_TIME_US: a request queued behind more
   * tokens than the clock can wait for is never served within a run. */
  reserve(nowUs: number): number {
    if (nowUs > this.lastUs) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowUs - this.lastUs) * this.qps) / 1e6);
      this.lastUs = nowUs;
    }
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    const wait = Math.ceil((-this.tokens * 1e6) / this.qps);
    const most = MAX_SIM_TIME_US - nowUs;
    return wait < most ? wait : most;
  }
}
