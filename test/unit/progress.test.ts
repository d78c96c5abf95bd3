import { PassThrough } from 'node:stream';
import { formatProgress, progressLine } from '../../src/cli/progress.js';
import { createProgressTally } from '../../src/probe/progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  let written = '';
  stream.write = ((chunk: string) => ((written += chunk), true)) as typeof stream.write;
  Object.assign(stream, { isTTY, columns: 120, text: () => written });
  return stream;
}

describe('progress', () => {
  it('tallies states and the rate', () => {
    let now = 0;
    const tally = createProgressTally(0, () => now);
    tally.setTotal(5);
    for (const state of ['open', 'closed', 'filtered', 'open|filtered', 'open'] as const) tally.count(state);
    now = 2000;
    expect(tally.snapshot()).toEqual({ total: 5, done: 5, open: 2, closed: 1, filtered: 1, other: 1, elapsedMs: 2000, ratePerSecond: 2.5 });
    expect(formatProgress(tally.snapshot())).toBe('scanning 5/5  open 2  closed 1  filtered 1  other 1  2.5/s');
  });

  it('draws on a TTY, throttled, and erases at the end', () => {
    const stream = fakeStream(true);
    let now = 0;
    const line = progressLine(stream, false, () => now);
    const base = { total: 10, open: 0, closed: 0, filtered: 0, other: 0, elapsedMs: 0, ratePerSecond: 0 };
    line.onProgress?.({ ...base, done: 1 });
    now = 50;
    line.onProgress?.({ ...base, done: 2 });
    now = 200;
    line.onProgress?.({ ...base, done: 3 });
    line.end();
    expect(stream.text()).toBe('\r\x1b[2Kscanning 1/10  open 0  closed 0  filtered 0  other 0  0.0/s\r\x1b[2Kscanning 3/10  open 0  closed 0  filtered 0  other 0  0.0/s\r\x1b[2K');
  });

  it('stays silent on a non-TTY and with --quiet', () => {
    const pipe = fakeStream(false);
    const quiet = fakeStream(true);
    expect(progressLine(pipe).onProgress).toBeUndefined();
    expect(progressLine(quiet, true).onProgress).toBeUndefined();
  });
});
