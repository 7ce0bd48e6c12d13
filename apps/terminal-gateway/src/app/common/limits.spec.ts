import { BoundedLimiter } from './bounded-limiter';
import { TokenBucket } from './token-bucket';
import { StageStats } from '../metrics/stage-stats';

describe('BoundedLimiter', () => {
  it('runs at most maxActive at once and refuses beyond maxWaiting', async () => {
    const limiter = new BoundedLimiter(2, 1);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const task = () =>
      new Promise<number>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve(running);
        });
      });
    const runs = [limiter.run(task), limiter.run(task), limiter.run(task)];
    const refused = await limiter.run(task);
    expect(refused).toBeNull();
    expect(limiter.active).toBe(2);
    expect(limiter.waiting).toBe(1);
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it('frees its slot when a task throws', async () => {
    const limiter = new BoundedLimiter(1, 0);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 7)).toMatchObject({ value: 7 });
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then the steady rate', () => {
    const bucket = new TokenBucket(30, 3, 0);
    expect([0, 0, 0, 0].map(() => bucket.take(0))).toEqual([true, true, true, false]);
    expect(bucket.take(20)).toBe(false);
    expect(bucket.take(34)).toBe(true);
  });
});

describe('StageStats', () => {
  it('keeps a bounded window and reports exact percentiles over it', () => {
    const stats = new StageStats(100, 2);
    for (let i = 1; i <= 1000; i++) stats.record('detect', i);
    stats.record('other', 1);
    stats.record('dropped-third-stage', 1);
    const { stages } = stats.summary();
    expect(stages.map((s) => s.stage)).toEqual(['detect', 'other']);
    expect(stages[0]).toMatchObject({ count: 1000, p50Ms: 950, p95Ms: 995, maxMs: 1000 });
  });
});
