import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { parse } from 'yaml';
import { BIN, ROOT } from '../helpers/cli.js';
import type { ScanResult } from '../../src/verdict/types.js';


describe('exchange-ports lab', () => {
  test('runs the organization, prints how to scan it, and removes everything on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'lab'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      let stdout = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`lab not ready: ${stdout}`)), 10_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('Stop it with Ctrl+C.')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`lab exited with ${code}: ${stderr}`)));
      });
      const topologyFile = /^Topology: (.+)$/m.exec(stdout)?.[1] ?? '';
      expect(stdout).toMatch(new RegExp(`exchange-ports scan -t ${topologyFile} --from edge:edge01\\.contoso\\.lab --ca /\\S+/lab-ca\\.pem`));
      const topology = parse(await readFile(topologyFile, 'utf8')) as { hosts: { edge: { address: string; ports: { smtp: number } }[] } };
      const edge = topology.hosts.edge[0];
      const greeting = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: edge?.address, port: edge?.ports.smtp ?? 0 });
        socket.once('data', (chunk) => {
          socket.destroy();
          resolve(chunk.toString());
        });
        socket.once('error', reject);
      });
      expect(greeting).toMatch(/^220 edge01\.contoso\.lab Microsoft ESMTP MAIL Service ready/);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(existsSync(topologyFile)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  }, 20_000);

  test('--scan scans the running lab from every vantage, reports its built-in faults, and stops it', async () => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'lab', '--scan', '--format', 'json']);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    console.log(`lab --scan took ${Math.round(performance.now() - started)} ms`);
    const result = JSON.parse(stdout) as ScanResult & { merged?: { sources: { vantage: { role: string } }[] } };
    expect(result.merged?.sources.map((source) => source.vantage.role)).toEqual(['internet', 'edge', 'mailbox']);
    const verdictsOf = (flow: string) => new Set(result.checks.filter((check) => check.flow === flow).map((check) => check.verdict));
    expect(verdictsOf('client.pop3')).toEqual(new Set(['down']));
    expect(verdictsOf('edge.edgesync')).toEqual(new Set(['pass']));
    expect(verdictsOf('edge.inbound')).toEqual(new Set(['pass']));
    expect(verdictsOf('perimeter.internet-to-mailbox-smtp')).toEqual(new Set(['exposed']));
    const findingsOf = (flow: string) =>
      result.checks.filter((check) => check.flow === flow).flatMap((check) => check.findings.map((found) => `${check.destination.host} ${found.id}`));
    expect(findingsOf('client.smtp-submission')).toEqual(['127.0.0.2 smtp.basic-auth-before-tls']);
    // mbx01's HTTPS is answered by the TLS-intercepting proxy: its CA is not the lab's, and names a product.
    expect(findingsOf('client.https')).toEqual(['127.0.0.2 tls.untrusted', '127.0.0.2 tls.intercepted', '127.0.0.3 tls.expiring']);
    // The SMTP-inspecting firewall in front of mbx01:25: the Edge's flow to it is down, mbx02's passes.
    const toInternal = result.checks.filter((check) => check.flow === 'edge.to-internal');
    expect(toInternal.map((check) => `${check.destination.host} ${check.verdict} ${check.findings.map((f) => f.id).join(',')}`)).toEqual([
      '127.0.0.2 down smtp.auth-on-25,smtp.inspected',
      '127.0.0.3 pass smtp.auth-on-25',
    ]);
    // Every other certificate chains to the lab's root, which the scan trusts: no self-signed noise.
    const intercepted = (check: ScanResult['checks'][number]) => check.flow === 'client.https' && check.destination.host === '127.0.0.2';
    expect(
      result.checks
        .filter((check) => !intercepted(check))
        .flatMap((check) => check.findings)
        .filter((found) => found.id.startsWith('tls.') && found.id !== 'tls.expiring'),
    ).toEqual([]);
    expect(code).toBe(1);
  }, 20_000);

  test('--standard-ports without root is a usage error', async () => {
    // As root, drop to nobody: the refusal applies to other users. Nobody may not reach the
    // checkout (it can sit under a 0700 directory), so it runs a copy of the single-file build
    // from a directory of its own that everyone can read.
    const root = process.getuid?.() === 0;
    const dir = mkdtempSync(join(tmpdir(), 'exchange-ports-nobody-'));
    try {
      const bundle = join(dir, 'exchange-ports.mjs');
      copyFileSync(join(ROOT, 'dist', 'exchange-ports.mjs'), bundle);
      chmodSync(dir, 0o755);
      chmodSync(bundle, 0o644);
      const [file, args] = root
        ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bundle, 'lab', '--standard-ports']]
        : [process.execPath, [BIN, 'lab', '--standard-ports']];
      const child = spawn(file, args, { cwd: dir });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(stderr).toBe('exchange-ports: lab: --standard-ports needs root\n');
      expect(code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
