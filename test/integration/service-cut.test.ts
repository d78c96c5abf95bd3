import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ProbeKind } from '../../src/model/types.js';
import type { Check } from '../../src/plan/types.js';
import type { HttpFacts } from '../../src/probe/http.js';
import type { ImapFacts } from '../../src/probe/imap.js';
import { runEngine, type EngineOptions } from '../../src/probe/engine.js';
import { serviceProbers } from '../../src/probe/service-probers.js';
import type { SmtpFacts } from '../../src/probe/smtp.js';
import type { TlsServiceFacts } from '../../src/probe/tls.js';
import type { Observation } from '../../src/probe/types.js';
import { FAST_OPTIONS } from '../helpers/checks.js';
import { afterGreeting, trickle } from '../helpers/hostile.js';
import { probeTarget } from '../helpers/probe-target.js';
import { certificate, smtpFixture, startRawServer, startSmtpServer, startTlsServer, TEST_CA, type Running } from '../helpers/servers.js';

/**
 * A scan cut (its deadline, or Ctrl-C through the caller's signal) ends every service dialogue
 * at once, with what it saw, whatever the servers do: each of these would keep its check busy
 * for a 20 s phase limit.
 */

const PHASE_MS = 20_000;
/** Long enough for the good dialogues to be over on a loaded machine. */
const DEADLINE_MS = 3000;
/** Generous, from the cut: the engine's wind-down and a loaded machine; far below one phase limit. */
const ENDED_WITHIN_MS = 2500;

const ENGINE: EngineOptions = { ...FAST_OPTIONS, timeoutMs: 1000, maxTimeoutMs: 2000, retries: 0, deadlineMs: 0 };

const slowly = (text: string): ((socket: Socket) => void) => trickle(text, 100);

interface Hostile {
  readonly servers: Running[];
  readonly checks: Check[];
  /** Kept once every dialogue is where it hangs: the good one over, the others connected. */
  readonly underWay: Promise<unknown>;
  /** Whether the good dialogue's main session is over (its QUIT reached the server). */
  goodOver(): boolean;
}

async function hostileServers(): Promise<Hostile> {
  const servers: Running[] = [];
  const checks: Check[] = [];
  const connected: Promise<void>[] = [];
  const seen = (behaviour: (socket: Socket) => void): ((socket: Socket) => void) => {
    let resolve = (): void => undefined;
    connected.push(new Promise<void>((done) => (resolve = done)));
    return (socket) => {
      resolve();
      behaviour(socket);
    };
  };
  const add = (server: Running, probe: ProbeKind, modelPort: number, implicitTls = false): void => {
    servers.push(server);
    const base = probeTarget({ port: server.port, modelPort, probe, implicitTls }).check;
    checks.push({ ...base, id: `${probe}:${modelPort}`, port: server.port, destination: { role: 'mailbox', host: '127.0.0.1', lookup: 'address' } });
  };
  // Greets, then answers EHLO one byte every 100 ms.
  add(await startRawServer(seen(afterGreeting('220 trickle.example.test ESMTP\r\n', slowly(`250-trickle.example.test\r\n250-${'X'.repeat(400)}\r\n`)))), 'smtp', 25);
  // A whole good dialogue; the second session's (TLS 1.0/1.1) handshake never completes.
  const good = await startSmtpServer({ ...smtpFixture('exchange2016-25'), handshakes: ['normal', 'never'] });
  add(good, 'smtp', 587);
  add(await startRawServer(seen(afterGreeting('* OK trickle IMAP4 ready\r\n', slowly(`* CAPABILITY IMAP4rev1 ${'X'.repeat(400)}\r\n`)))), 'imap', 143);
  // The status line at once, then its headers one byte every 100 ms.
  const slowHeaders = slowly(`X-Slow: ${'y'.repeat(400)}\r\n\r\n`);
  const slowResponse = (socket: TLSSocket): void => {
    socket.write('HTTP/1.1 200 OK\r\n');
    slowHeaders(socket);
  };
  add(await startTlsServer(certificate('mail'), seen(slowResponse as (socket: Socket) => void)), 'http', 443, true);
  // Accepts, reads, never says a word: the TLS handshake waits.
  add(await startRawServer(seen((socket) => socket.resume())), 'tls', 444, true);
  const goodOver = until(() => good.timeline.includes('0:QUIT') && good.timeline.includes('1:STARTTLS'));
  return { servers, checks, underWay: Promise.all([...connected, goodOver]), goodOver: () => good.timeline.includes('0:QUIT') };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const byId = (observations: { check: Check; observation: Observation }[]): Record<string, Observation> =>
  Object.fromEntries(observations.map(({ check, observation }) => [check.id, observation]));

describe('a cut scan ends its service dialogues at once, with what they saw', () => {
  let hostile: Hostile | undefined;
  afterEach(async () => {
    await Promise.all(hostile?.servers.map((server) => server.close()) ?? []);
  });

  test.each(['deadline', 'Ctrl-C'] as const)('%s', async (how) => {
    hostile = await hostileServers();
    const probers = serviceProbers({ ca: [TEST_CA()], phaseTimeoutMs: PHASE_MS, ehloName: 'probe.example.test', legacyTls: true });
    const caller = new AbortController();
    const options = how === 'deadline' ? { ...ENGINE, deadlineMs: DEADLINE_MS } : ENGINE;
    const started = performance.now();
    let cutAt = started + DEADLINE_MS;
    let goodOverAtCut = false;
    const atDeadline = setTimeout(() => (goodOverAtCut = hostile!.goodOver()), DEADLINE_MS);
    if (how === 'Ctrl-C') {
      clearTimeout(atDeadline);
      // Once every dialogue is under way, and a moment more for the trickles to start.
      void hostile.underWay.then(() =>
        setTimeout(() => {
          cutAt = performance.now();
          goodOverAtCut = hostile!.goodOver();
          caller.abort('SIGINT');
        }, 300),
      );
    }
    const run = await runEngine(hostile.checks, options, probers, caller.signal);
    const ended = performance.now();
    clearTimeout(atDeadline);

    expect(run.partial).toBe(true);
    expect(ended - cutAt).toBeLessThan(ENDED_WITHIN_MS);
    const seen = byId(run.observations);
    // Every dialogue returned its facts within the engine's wind-down: none is "sent, but cut".
    for (const observation of Object.values(seen)) expect(observation).toMatchObject({ state: 'open', service: expect.anything() });

    const trickling = seen['smtp:25']?.service as SmtpFacts;
    expect(trickling.greeting?.code).toBe(220);
    expect(trickling.failure).toMatchObject({ phase: 'EHLO reply', reason: 'aborted' });
    expect(trickling.quit.sent).toBe(true);

    // The TLS 1.0/1.1 check beside it could not tell before the cut: no legacy fact. The main
    // dialogue was over at the cut (always after Ctrl-C here; by the deadline unless the machine
    // is very loaded): its facts are whole.
    const legacyHung = seen['smtp:587']?.service as SmtpFacts;
    expect(legacyHung.tls?.legacy).toBeUndefined();
    if (how === 'Ctrl-C') expect(goodOverAtCut).toBe(true);
    if (goodOverAtCut) {
      expect(legacyHung.failure).toBeUndefined();
      expect(legacyHung.tls).toMatchObject({ handshake: 'ok', trusted: true });
      expect(legacyHung.authAfterTls).toEqual(['NTLM']);
    } else expect(legacyHung.failure?.reason).toBe('aborted');

    const imap = seen['imap:143']?.service as ImapFacts;
    expect(imap).toMatchObject({ greetingOk: true, failure: { phase: 'CAPABILITY response', reason: 'aborted' } });

    const http = seen['http:443']?.service as HttpFacts;
    expect(http.tls?.handshake).toBe('ok');
    expect(http.responses[0]).toMatchObject({ path: '/owa', statusLine: 'HTTP/1.1 200 OK', failure: { reason: 'aborted' } });

    const tls = seen['tls:444']?.service as TlsServiceFacts;
    expect(tls).toMatchObject({ handshake: 'failed', failure: { phase: 'TLS handshake', reason: 'aborted' } });

    // Nothing is left open: every server sees each of its connections closed soon after.
    let timer: NodeJS.Timeout | undefined;
    const lingering = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('connections still open'), 2000)));
    const closed = Promise.all(hostile.servers.map((server) => server.settled())).then(() => 'all closed');
    expect(await Promise.race([closed, lingering])).toBe('all closed');
    clearTimeout(timer);
  });
});
