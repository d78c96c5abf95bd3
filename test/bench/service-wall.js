// Wall time of one SMTP service check (greeting, EHLO, STARTTLS, EHLO, QUIT, and the TLS 1.0/1.1
// check) against a server RTT_MS away. After `npm run build`:
//   node test/bench/service-wall.js [RTT_MS] [RUNS]   through a delaying proxy on loopback (the
//       client's own TCP handshake is not delayed: each connection costs one round trip less
//       than on a real path)
//   node test/bench/service-wall.js serve ADDRESS          the servers only (ports 2525, 2526)
//   node test/bench/service-wall.js probe ADDRESS RTT_MS [RUNS]   against those servers
// (test/bench/service-wall-netns.sh runs the last two across a real delayed path.)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { startDelayProxy } from '../helpers/delay-proxy.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { makeSmtpProber, SMTP_DEFAULTS } = await import(`${root}/dist/probe/smtp.js`);
const [mode, address] = ['serve', 'probe'].includes(process.argv[2]) ? process.argv.slice(2, 4) : ['proxy', '127.0.0.1'];
const numbers = mode === 'proxy' ? process.argv.slice(2) : process.argv.slice(4);
const rttMs = Number(numbers[0] ?? 100);
const runs = Number(numbers[1] ?? 5);
const PORTS = { refused: 2525, accepted: 2526 };
const certs = `${root}/fixtures/certs`;
const keyPair = { key: readFileSync(`${certs}/mail.key`, 'utf8'), cert: readFileSync(`${certs}/mail.pem`, 'utf8') };
const LEGACY_ACCEPTED = { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' };

/** An Exchange-like receive connector: STARTTLS, then EHLO again; QUIT answered with 221. */
function startSmtp(tlsOptions, host = '127.0.0.1', port = 0) {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    let stream = socket;
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk.toString('latin1');
      for (let lf = buffered.indexOf('\n'); lf !== -1; lf = buffered.indexOf('\n')) {
        const verb = buffered.slice(0, lf).split(' ')[0].toUpperCase().trim();
        buffered = buffered.slice(lf + 1);
        if (verb === 'EHLO') stream.write(`250-mail.contoso.test\r\n250-SIZE 37748736\r\n${stream === socket ? '250-STARTTLS\r\n' : ''}250 AUTH NTLM\r\n`);
        else if (verb === 'STARTTLS') {
          socket.off('data', onData);
          socket.write('220 2.0.0 SMTP server ready\r\n');
          stream = new TLSSocket(socket, { isServer: true, ...keyPair, ...tlsOptions });
          stream.on('error', () => socket.destroy());
          stream.on('data', onData);
        } else if (verb === 'QUIT') stream.end('221 2.0.0 Service closing transmission channel\r\n');
        else stream.write('502 5.5.2 Command not recognized\r\n');
      }
    };
    socket.on('data', onData);
    socket.write('220 mail.contoso.test Microsoft ESMTP MAIL Service ready\r\n');
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time of the check against `host:port`. */
async function timeChecks(label, host, port, legacyCheck) {
  const prober = makeSmtpProber({ ...SMTP_DEFAULTS, ehloName: 'probe.example.test', legacyCheck });
  const check = { id: 'bench', port: 25, transport: 'tcp', probe: 'smtp', implicitTls: false, destination: { role: 'edge', host: 'mail.contoso.test', lookup: 'name' } };
  const times = [];
  let legacy;
  // One run first that is not counted: TLS contexts and code paths warm up.
  for (let run = -1; run < runs; run++) {
    const started = performance.now();
    const observation = await prober({ check, address: host, port, transport: 'tcp', timeoutMs: 10 * rttMs + 1000 }, new AbortController().signal);
    if (run >= 0) times.push(performance.now() - started);
    legacy = observation.service?.tls?.legacy;
    if (observation.service?.failure || observation.state !== 'open') throw new Error(`${label}: ${observation.error ?? observation.service?.failure?.message}`);
  }
  const ms = median(times);
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / rttMs).toFixed(1).padStart(5)} RTT  legacy: ${legacy ? JSON.stringify(legacy) : '-'}`);
}

async function throughProxy(label, tlsOptions, legacyCheck) {
  const server = await startSmtp(tlsOptions);
  const proxy = await startDelayProxy({ upstreamPort: server.address().port, oneWayMs: rttMs / 2 });
  await timeChecks(label, '127.0.0.1', proxy.port, legacyCheck);
  await proxy.close();
  await new Promise((resolve) => server.close(resolve));
}

if (mode === 'serve') {
  await startSmtp({}, address, PORTS.refused);
  await startSmtp(LEGACY_ACCEPTED, address, PORTS.accepted);
  console.log('ready');
} else if (mode === 'probe') {
  console.log(`SMTP check, STARTTLS, server ${address} ${rttMs} ms away, median of ${runs} runs`);
  await timeChecks('no legacy check', address, PORTS.refused, false);
  await timeChecks('legacy check, TLS 1.0/1.1 refused', address, PORTS.refused, true);
  await timeChecks('legacy check, TLS 1.0/1.1 accepted', address, PORTS.accepted, true);
} else {
  console.log(`SMTP check, STARTTLS, server ${rttMs} ms away (delaying proxy), median of ${runs} runs`);
  await throughProxy('no legacy check', {}, false);
  await throughProxy('legacy check, TLS 1.0/1.1 refused', {}, true);
  await throughProxy('legacy check, TLS 1.0/1.1 accepted', LEGACY_ACCEPTED, true);
}
