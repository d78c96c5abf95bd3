import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild } from '../helpers/cli.js';
import { runCliSignalled } from '../helpers/cli-signal.js';
import { NetnsLab, type Namespace } from '../helpers/netns-lab.js';
import { whenRoot } from '../helpers/root.js';


interface ResultJson {
  partial: boolean;
  couldNotScan?: string;
  startedAt: string;
  finishedAt: string;
  checks: Array<{ flow: string; observed: { state: string; error?: string } }>;
}

whenRoot(() => {
  describe('a scan cut short (built CLI, every packet dropped in a namespace)', () => {
    let lab: NetnsLab;
    let scanner: Namespace;
    let dir: string;
    let topology: string;
    const slow = ['--from', 'client', '--format', 'json', '--timeout', '10000', '--min-timeout', '10000', '--max-timeout', '10000', '--retries', '0'];

    beforeAll(async () => {
      requireBuild();
      lab = await NetnsLab.create();
      scanner = await lab.namespace('cut');
      await scanner.nft('table ip xpe {\n  chain output { type filter hook output priority 0; policy accept; ip protocol tcp drop; }\n}\n');
      dir = mkdtempSync(join(tmpdir(), 'xpe-cut-'));
      topology = join(dir, 'topology.yaml');
      writeFileSync(topology, 'organization: cut\nhosts:\n  mailbox:\n    - name: mbx01.cut.test\n      address: 127.0.0.1\n');
    }, 30_000);
    afterAll(async () => {
      await lab?.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it.each([
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const)('%s: prints and writes the partial result, every check listed, exit %i', async (signal, code) => {
      const out = join(dir, `${signal}.json`);
      const run = await runCliSignalled(['scan', ...slow, '-t', topology, '--out', out, '--format', 'table'], { prefix: ['ip', 'netns', 'exec', scanner.name], signal });
      expect(run.code).toBe(code);
      expect(run.stdout).toContain('PARTIAL: the scan was cut short');
      expect(run.stdout.split(`cut short (${signal})`).length - 1).toBeGreaterThanOrEqual(3);
      const written = JSON.parse(readFileSync(out, 'utf8')) as ResultJson;
      expect(written.partial).toBe(true);
      // A connect already sent is "sent, but cut short", one never sent "not probed": both are unfinished, neither a state.
      expect(written.checks.map(({ flow, observed }) => [flow, observed.state])).toEqual([
        ['client.https', 'error'],
        ['client.http', 'error'],
        ['client.smtp-submission', 'error'],
      ]);
      for (const { observed } of written.checks) expect(observed.error).toMatch(new RegExp(`^(not probed: scan cut short|sent, but the scan was cut short) \\(${signal}\\)`));
    });

    it('--deadline bounds the whole scan: unfinished checks reported, no later than the deadline plus one second', async () => {
      const prefix = ['ip', 'netns', 'exec', scanner.name];
      // The process may take no longer than the deadline, one second, and what starting the CLI costs.
      let started = performance.now();
      await runCliSignalled(['--version'], { prefix });
      const startup = performance.now() - started;
      started = performance.now();
      const run = await runCliSignalled(['scan', ...slow, '-t', topology, '--deadline', '1'], { prefix });
      expect(performance.now() - started).toBeLessThan(1000 + 1000 + startup);
      expect(run.code).toBe(3);
      const result = JSON.parse(run.stdout) as ResultJson;
      expect(result.partial).toBe(true);
      expect(result.couldNotScan).toBe('scan cut short (deadline) before any probe got an answer');
      for (const { observed } of result.checks) expect(observed.error).toMatch(/^(not probed: scan cut short|sent, but the scan was cut short) \(deadline\)/);
    });
  });
});
