import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseJunit } from 'junit2json';
import { requireBuild, runCli, runCliAsync } from '../helpers/cli.js';
import { resultSchema } from '../helpers/report-fixtures.js';

/** A real scan of loopback listeners: its JSON must fit the schema and feed every other command. */
describe('a real scan, saved and rendered again', () => {
  let dir: string;
  const servers: Server[] = [];
  const valid = resultSchema();

  beforeAll(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'exchange-ports-report-scan-'));
    for (let i = 0; i < 3; i++) {
      const server = createServer((s) => s.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  test('scan --format json validates against the schema; report, diff and merge read it back', async () => {
    const [https, http, submission] = servers.map((s) => (s.address() as AddressInfo).port);
    const topology = join(dir, 'loop.yaml');
    writeFileSync(topology, `organization: loop\nhosts:\n  mailbox:\n    - name: mbx01.loop.test\n      address: 127.0.0.1\n      ports: { https: ${https}, http: ${http}, submission: ${submission} }\n`);
    const saved = join(dir, 'scan.json');
    const scan = await runCliAsync(['scan', '-t', topology, '--from', 'client', '--format', 'json', '--out', saved]);
    expect(scan.stderr).toBe('');
    // The listeners accept and hang up: every required service is down (exit 1), and the result still feeds every command.
    expect(scan.code).toBe(1);
    const result = JSON.parse(readFileSync(saved, 'utf8'));
    expect(valid(result)).toBe(true);
    expect(result.summary.total).toBe(3);

    const junit = runCli(['report', saved, '--format', 'junit']);
    expect(junit.code).toBe(1);
    const parsed = (await parseJunit(junit.stdout)) as { tests: number; failures: number };
    expect(parsed).toMatchObject({ tests: 3, failures: 2 }); // https and submission are required; http is optional

    const diff = runCli(['diff', saved, saved, '--format', 'json']);
    expect(diff.code).toBe(0);
    expect(valid(JSON.parse(diff.stdout))).toBe(true);

    const merged = runCli(['merge', saved, saved, '--format', 'json']);
    expect(merged.code).toBe(1);
    const m = JSON.parse(merged.stdout);
    expect(valid(m)).toBe(true);
    expect(m.checks).toHaveLength(3);
  });
});
