import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { BIN, ROOT, requireBuild } from '../helpers/cli.js';
import { afterGreeting, trickle } from '../helpers/hostile.js';
import { certificate, startRawServer, startTlsServer, type Running } from '../helpers/servers.js';

interface ResultJson {
  partial: boolean;
  checks: Array<{ flow: string; port: number; observed: { state: string }; service?: { kind: string; failure?: { reason: string }; greeting?: unknown } }>;
}

/** Each server keeps its dialogue going far longer than the test: one byte every 200 ms. */
const slowly = (text: string): ((socket: Socket) => void) => trickle(text, 200);
/** Generous for "within a second": the process is loaded by the suite around it. */
const ANSWERED_WITHIN_MS = 2000;

describe('Ctrl-C during service dialogues with servers that never finish (built CLI)', () => {
  const servers: Running[] = [];
  const connected: Promise<void>[] = [];
  let dir: string;
  let topology: string;

  /** A server, and a promise kept when the scan has connected to it. */
  async function serve(start: (onConnection: (socket: Socket) => void) => Promise<Running>, behaviour: (socket: Socket) => void): Promise<number> {
    let seen = (): void => undefined;
    connected.push(new Promise<void>((resolve) => (seen = resolve)));
    const server = await start((socket) => {
      seen();
      behaviour(socket);
    });
    servers.push(server);
    return server.port;
  }

  beforeAll(async () => {
    requireBuild();
    const submission = await serve(startRawServer, afterGreeting('220 slow.example.test ESMTP\r\n', slowly(`250-slow.example.test\r\n250-${'X'.repeat(400)}\r\n`)));
    const imap = await serve(startRawServer, afterGreeting('* OK slow IMAP4 ready\r\n', slowly(`* CAPABILITY IMAP4rev1 ${'X'.repeat(400)}\r\n`)));
    const https = await serve(
      (onConnection) => startTlsServer(certificate('mail'), onConnection as (socket: TLSSocket) => void),
      (socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        slowly(`X-Slow: ${'y'.repeat(400)}\r\n\r\n`)(socket);
      },
    );
    dir = mkdtempSync(join(tmpdir(), 'xps-signal-'));
    topology = join(dir, 'topology.yaml');
    writeFileSync(
      topology,
      [
        'organization: loop',
        'features: { imap4: true, pop3: false }',
        'hosts:',
        '  mailbox:',
        `    - { name: 127.0.0.1, address: 127.0.0.1, ports: { submission: ${submission}, imap: ${imap}, https: ${https} } }`,
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('SIGINT once every dialogue is under way: exit 130 within a second or so, each check with what it saw', async () => {
    const out = join(dir, 'result.json');
    const args = ['scan', '-t', topology, '--from', 'client', '--service-timeout', '60000', '--retries', '0', '--quiet', '--format', 'json', '--out', out];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await Promise.all(connected);
    // The dialogues have started; let each one get as far as its first trickled bytes.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalled = performance.now();
    child.kill('SIGINT');
    const code = await exited;
    const answeredMs = performance.now() - signalled;
    clearTimeout(guard);

    expect(code).toBe(130);
    expect(answeredMs).toBeLessThan(ANSWERED_WITHIN_MS);
    const result = JSON.parse(readFileSync(out, 'utf8')) as ResultJson;
    expect(result.partial).toBe(true);
    const byFlow = (flow: string) => result.checks.find((check) => check.flow === flow);
    for (const flow of ['client.smtp-submission', 'client.imap4', 'client.https']) {
      expect(byFlow(flow)).toMatchObject({ observed: { state: 'open' }, service: { failure: { reason: 'aborted' } } });
    }
    expect(byFlow('client.smtp-submission')?.service?.greeting).toMatchObject({ code: 220 });
  });
});
