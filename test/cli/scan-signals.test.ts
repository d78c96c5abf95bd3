import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild } from '../helpers/cli.js';
import { runCliSignalled } from '../helpers/cli-signal.js';
import { startSilentUdp } from '../helpers/dns-server.js';

interface ResultJson {
  partial: boolean;
  checks: Array<{ port: number; transport: string; observed: { state: string; error?: string } }>;
}

describe('scan stopped by a signal (built CLI, loopback, a DNS server that never answers)', () => {
  let dir: string;
  let silent: Awaited<ReturnType<typeof startSilentUdp>>;
  let topology: string;
  beforeAll(async () => {
    requireBuild();
    silent = await startSilentUdp();
    dir = mkdtempSync(join(tmpdir(), 'xpe-signal-'));
    topology = join(dir, 'topology.yaml');
    writeFileSync(
      topology,
      ['organization: loop', 'hosts:', '  mailbox:', '    - { name: 127.0.0.1, address: 127.0.0.1 }', '  dns:', `    - { name: 127.0.0.1, address: 127.0.0.1, ports: { dns: ${silent.port} } }`, ''].join('\n'),
    );
  });
  afterAll(async () => {
    await silent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: exit %i, the result printed and written, marked partial, finished checks kept', async (signal, code) => {
    const out = join(dir, `${signal}.json`);
    const slow = ['--timeout', '10000', '--min-timeout', '10000', '--max-timeout', '10000', '--retries', '0', '--quiet'];
    // The signal comes once the DNS query has arrived (a loaded machine may take longer than 1.5 s to send it).
    const queried = silent.nextQuery();
    const run = await runCliSignalled(['scan', '-t', topology, '--from', 'mailbox', ...slow, '--format', 'json', '--out', out, '--format', 'table'], { signal, ready: queried });
    expect(run.code).toBe(code);
    expect(run.stdout).toContain('PARTIAL: the scan was cut short');
    const result = JSON.parse(readFileSync(out, 'utf8')) as ResultJson;
    expect(result.partial).toBe(true);
    const dns = result.checks.find(({ port, transport }) => port === silent.port && transport === 'udp');
    // The DNS query was sent: UDP silence so far, never "not probed".
    expect(dns?.observed).toMatchObject({ state: 'open|filtered', error: `sent, but the scan was cut short (${signal}) before an answer` });
    const others = result.checks.filter((check) => check !== dns);
    expect(others.length).toBeGreaterThan(10);
    for (const { observed } of others) expect(['open', 'closed']).toContain(observed.state);
  });
});
