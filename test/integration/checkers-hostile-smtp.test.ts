import fc from 'fast-check';
import { makeSmtpProber, SMTP_DEFAULTS, type SmtpFacts, type SmtpProberOptions } from '../../src/probe/smtp.js';
import type { Observation } from '../../src/probe/types.js';
import { endless, GARBAGE, HUGE_LINE, resetAfter, sendThenSilence, trickle } from '../helpers/hostile.js';
import { probeTarget } from '../helpers/probe-target.js';
import { smtpFixture, startRawServer, startSmtpServer, type Running } from '../helpers/servers.js';
import type { Socket } from 'node:net';

const PHASE_MS = 1000;
const OPTIONS: SmtpProberOptions = {
  ...SMTP_DEFAULTS,
  ehloName: 'probe.example.test',
  greetingTimeoutMs: PHASE_MS,
  replyTimeoutMs: PHASE_MS,
  handshakeTimeoutMs: PHASE_MS,
  sessionTimeoutMs: 4 * PHASE_MS,
};
/** The probe must have ended by then; a hang fails the test rather than jest's timeout. */
const HARD_STOP_MS = OPTIONS.sessionTimeoutMs + 3000;

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function probeRaw(onConnection: (socket: Socket) => void): Promise<SmtpFacts> {
  const server = await startRawServer(onConnection);
  servers.push(server);
  return probePort(server.port);
}

async function probePort(port: number): Promise<SmtpFacts> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the probe did not end within its deadline')), HARD_STOP_MS);
  });
  try {
    const observation: Observation = await Promise.race([
      makeSmtpProber(OPTIONS)(probeTarget({ port, probe: 'smtp' }), new AbortController().signal),
      hang,
    ]);
    expect(observation.state).toBe('open');
    return observation.service as SmtpFacts;
  } finally {
    clearTimeout(timer);
  }
}

describe('SMTP checker against hostile servers: each ends within its deadline with a fact', () => {
  test('endless multi-line banner stops at the reply line limit', async () => {
    const facts = await probeRaw(endless('220-still going\r\n'));
    expect(facts.failure).toMatchObject({ phase: 'greeting', reason: 'malformed' });
    expect(facts.failure?.message).toMatch(/more than 100 lines/);
    expect(facts.greeting).toBeUndefined();
  });

  test('one byte a second: the greeting deadline ends it', async () => {
    const facts = await probeRaw(trickle('220 slow.example.test ESMTP\r\n', 1000));
    expect(facts.failure).toEqual({ phase: 'greeting', reason: 'timeout', message: `timed out waiting for the greeting after ${PHASE_MS} ms` });
  });

  test('a 10 MB line stops at the line limit', async () => {
    const facts = await probeRaw(sendThenSilence(HUGE_LINE));
    expect(facts.failure).toMatchObject({ phase: 'greeting', reason: 'limit' });
    expect(facts.failure?.message).toMatch(/longer than 2048 bytes/);
  });

  test('many short lines stop at the session byte limit', async () => {
    const server = await startRawServer(endless('220-x\r\n'));
    servers.push(server);
    // The byte limit ends it, not a phase deadline: a loaded machine may take its time to read 64 KB.
    const prober = makeSmtpProber({ ...OPTIONS, maxReplyLines: 1_000_000, maxSessionBytes: 64 * 1024, greetingTimeoutMs: 20_000, sessionTimeoutMs: 30_000 });
    const observation = await prober(probeTarget({ port: server.port, probe: 'smtp' }), new AbortController().signal);
    expect((observation.service as SmtpFacts).failure).toMatchObject({ phase: 'greeting', reason: 'limit' });
  });

  test('binary garbage is not an SMTP reply', async () => {
    const facts = await probeRaw(sendThenSilence(GARBAGE));
    expect(facts.failure).toMatchObject({ phase: 'greeting', reason: 'malformed' });
    expect(facts.problems.length).toBeGreaterThan(0);
  });

  test('invalid UTF-8 in the greeting is noted and the dialogue goes on', async () => {
    const script = smtpFixture('no-starttls');
    const server = await startSmtpServer({ ...script, greeting: ['220 bad.example.test \xff\xfe ESMTP'] });
    servers.push(server);
    const raw = await startRawServer((socket) => {
      socket.write(Buffer.concat([Buffer.from('220 bad.example.test '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' ESMTP\r\n')]));
      socket.on('data', (d) => {
        const text = d.toString();
        if (text.startsWith('EHLO')) socket.write('250 bad.example.test\r\n');
        if (text.startsWith('QUIT')) socket.end('221 bye\r\n');
      });
    });
    servers.push(raw);
    const facts = await probePort(raw.port);
    expect(facts.failure).toBeUndefined();
    expect(facts.problems).toContain('invalid UTF-8 in the greeting');
    expect(facts.greeting?.lines[0]).toContain('\uFFFD');
    expect(facts.quit).toEqual({ sent: true });
  });

  test('terminal escape sequences are kept raw in the facts', async () => {
    const raw = await startRawServer((socket) => {
      socket.write('220 evil.example.test \x1b]0;owned\x07\x1b[2J\x1b[31mred\r\n');
      socket.on('data', (d) => {
        if (d.toString().startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      });
    });
    servers.push(raw);
    const facts = await probePort(raw.port);
    expect(facts.greeting?.lines[0]).toBe('220 evil.example.test \x1b]0;owned\x07\x1b[2J\x1b[31mred');
  });

  test('220 then silence: the EHLO reply deadline ends it, QUIT is still sent', async () => {
    const received: string[] = [];
    const facts = await probeRaw((socket) => {
      socket.write('220 mute.example.test ESMTP\r\n');
      socket.on('data', (d) => received.push(d.toString()));
    });
    expect(facts.greeting?.code).toBe(220);
    expect(facts.failure).toMatchObject({ phase: 'EHLO reply', reason: 'timeout' });
    expect(facts.quit.sent).toBe(true);
  });

  test('STARTTLS accepted, then a handshake that never completes', async () => {
    const server = await startSmtpServer({ ...smtpFixture('exchange2016-25'), handshake: 'never' });
    servers.push(server);
    const facts = await probePort(server.port);
    expect(facts.starttls).toMatchObject({ offered: true, attempted: true, reply: { code: 220 } });
    expect(facts.tls).toMatchObject({ handshake: 'failed', failure: { phase: 'TLS handshake', reason: 'timeout' } });
  });

  test('bytes sent after the STARTTLS 220 are recorded, not read as a reply', async () => {
    const server = await startSmtpServer({ ...smtpFixture('exchange2016-25'), afterStarttls: '250 injected\r\n' });
    servers.push(server);
    const facts = await probePort(server.port);
    expect(facts.starttls.earlyBytes).toBe('250 injected\r\n');
  });

  test('reset in the middle of the EHLO reply', async () => {
    const facts = await probeRaw(resetAfter('220 flaky.example.test ESMTP\r\n', '250-flaky.example.test\r\n250-SIZE'));
    expect(facts.failure).toMatchObject({ phase: 'EHLO reply', reason: 'reset' });
  });

  test('421 in the middle of the dialogue ends it', async () => {
    const facts = await probeRaw((socket) => {
      socket.write('220 busy.example.test ESMTP\r\n');
      socket.once('data', () => socket.end('421 4.3.2 Too busy\r\n'));
    });
    expect(facts.failure).toMatchObject({ phase: 'EHLO reply', reason: 'closed' });
  });

  test('whatever bytes a server sends, in whatever pieces, the probe ends with facts (fast-check)', async () => {
    const reply = fc.constantFrom('220 x ESMTP\r\n', '250-x\r\n', '250 STARTTLS\r\n', '220 go\r\n', '421 bye\r\n', '\r\n', '\x1b[2J');
    const piece = fc.oneof(reply, fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')));
    const quick = makeSmtpProber({ ...OPTIONS, greetingTimeoutMs: 200, replyTimeoutMs: 200, handshakeTimeoutMs: 200, sessionTimeoutMs: 1000 });
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), fc.boolean(), async (pieces, close) => {
        const server = await startRawServer((socket) => {
          // One piece per line the client sends, the first at once: a server that answers nonsense.
          const queue = [...pieces];
          socket.write(Buffer.from(queue.shift() ?? '', 'latin1'));
          socket.on('data', () => {
            const next = queue.shift();
            if (next !== undefined) socket.write(Buffer.from(next, 'latin1'));
            else if (close) socket.end();
          });
        });
        try {
          const observation = await quick(probeTarget({ port: server.port, probe: 'smtp' }), new AbortController().signal);
          expect(observation.state).toBe('open');
          const facts = observation.service as SmtpFacts;
          expect(facts.kind).toBe('smtp');
          expect(facts.dialogue.length).toBeLessThanOrEqual(4 * OPTIONS.maxReplyLines + 8);
        } finally {
          await server.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 60000);

  test('the caller can abort at any time', async () => {
    const server = await startRawServer(() => undefined);
    servers.push(server);
    const controller = new AbortController();
    const pending = makeSmtpProber(OPTIONS)(probeTarget({ port: server.port, probe: 'smtp' }), controller.signal);
    setTimeout(() => controller.abort(), 100);
    const observation = await pending;
    expect((observation.service as SmtpFacts).failure).toMatchObject({ phase: 'greeting', reason: 'aborted' });
  });
});
