import { createScheduler } from '../../src/probe/scheduler.js';

/** Jobs that stay running until released, recording the order they started in. */
function gate() {
  const started: string[] = [];
  const releases: Array<() => void> = [];
  const job = (name: string) => () =>
    new Promise<void>((resolve) => {
      started.push(name);
      releases.push(resolve);
    });
  const releaseAll = async (): Promise<void> => {
    for (const release of releases.splice(0)) release();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { started, job, releaseAll };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('scheduler', () => {
  it('starts round-robin over hosts, within the per-host and global limits', async () => {
    const scheduler = createScheduler<string>(3, 1);
    const { started, job, releaseAll } = gate();
    for (const host of ['a', 'b']) for (const n of [1, 2, 3]) scheduler.push(host, job(`${host}${n}`));
    scheduler.push('c', job('c1'));
    await tick();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    await releaseAll();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'b2']);
    await releaseAll();
    await releaseAll();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'b3']);
    await scheduler.idle();
  });

  it('is idle only when nothing is queued or running, and clear drops what has not started', async () => {
    const scheduler = createScheduler<string>(1, 1);
    const { started, job, releaseAll } = gate();
    scheduler.push('a', job('a1'));
    scheduler.push('a', job('a2'));
    let idle = false;
    void scheduler.idle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    scheduler.clear();
    await releaseAll();
    await tick();
    expect(started).toEqual(['a1']);
    expect(idle).toBe(true);
  });

  it('follows a lowered global concurrency', async () => {
    const scheduler = createScheduler<string>(4, 4);
    const { started, job, releaseAll } = gate();
    scheduler.limit.concurrency = 1;
    for (const n of [1, 2, 3]) scheduler.push('a', job(`a${n}`));
    await tick();
    expect(started).toEqual(['a1']);
    await releaseAll();
    expect(started).toEqual(['a1', 'a2']);
    await releaseAll();
    await releaseAll();
  });
});
