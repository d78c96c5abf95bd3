import { mergeResults, MergeError } from '../../src/report/merge.js';
import { fixture } from '../helpers/report-fixtures.js';

const tool = { name: 'exchange-ports', version: '9.9.9' };
const internet = { file: 'internet.json', result: fixture('internet.json') };
const mbx01 = { file: 'mbx01.json', result: fixture('mbx01.json') };
const other = { file: 'mbx01-other-topology.json', result: fixture('mbx01-other-topology.json') };

describe('merge', () => {
  test('one result with every check, each keeping the vantage it ran from', () => {
    const m = mergeResults([internet, mbx01], { force: false, tool });
    expect(m.checks).toHaveLength(internet.result.checks.length + mbx01.result.checks.length);
    expect(new Set(m.checks.map((c) => JSON.stringify(c.source)))).toEqual(new Set([JSON.stringify({ role: 'internet' }), JSON.stringify({ role: 'mailbox', host: 'mbx01.contoso.local' })]));
    expect(m.summary.total).toBe(m.checks.length);
    expect(m.summary.fail).toBe(internet.result.summary.fail + mbx01.result.summary.fail);
    expect(m.merged).toEqual({
      forced: false,
      sources: [
        expect.objectContaining({ file: 'internet.json', vantage: { role: 'internet' }, checks: internet.result.checks.length }),
        expect.objectContaining({ file: 'mbx01.json', vantage: { role: 'mailbox', host: 'mbx01.contoso.local' }, checks: mbx01.result.checks.length }),
      ],
    });
    expect(m.startedAt).toBe('2026-11-27T20:00:00.000Z');
    expect(m.finishedAt).toBe(mbx01.result.finishedAt);
    expect(m.tool).toEqual(tool);
  });

  test('refuses results from different topologies, naming both files', () => {
    expect(() => mergeResults([mbx01, other], { force: false, tool })).toThrow(MergeError);
    expect(() => mergeResults([mbx01, other], { force: false, tool })).toThrow(
      'mbx01.json and mbx01-other-topology.json come from different topologies (sha256 5f2b7c8e9a0d and 0b1c2d3e4f5a); merge them anyway with --force',
    );
  });

  test('--force merges them and says so; the same check from the same vantage keeps the later run', () => {
    const m = mergeResults([other, mbx01], { force: true, tool });
    expect(m.merged?.forced).toBe(true);
    expect(m.checks).toHaveLength(mbx01.result.checks.length);
    expect(m.merged?.sources.map((s) => s.topologySha256.slice(0, 4))).toEqual(['0b1c', '5f2b']);
    expect(m.startedAt).toBe(mbx01.result.startedAt);
    expect(m.finishedAt).toBe(other.result.finishedAt);
  });

  test('merging a merged result flattens its sources', () => {
    const first = mergeResults([internet, mbx01], { force: false, tool });
    const again = mergeResults([{ file: 'org.json', result: first }, mbx01], { force: false, tool });
    expect(again.merged?.sources.map((s) => s.file)).toEqual(['internet.json', 'mbx01.json', 'mbx01.json']);
    expect(again.checks).toHaveLength(first.checks.length);
  });

  test('a vantage that could not scan makes the whole merge "could not scan", naming it', () => {
    const dead = { file: 'dead.json', result: { ...mbx01.result, couldNotScan: 'nothing answered' } };
    expect(mergeResults([internet, dead], { force: false, tool }).couldNotScan).toBe('dead.json: nothing answered');
    expect(mergeResults([internet, { ...mbx01, result: { ...mbx01.result, partial: true } }], { force: false, tool }).partial).toBe(true);
  });

  test('nothing to merge is an error', () => {
    expect(() => mergeResults([], { force: false, tool })).toThrow(MergeError);
  });
});
