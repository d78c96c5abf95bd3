import { HTTP_DEFAULTS, makeHttpProber, type HttpFacts, type HttpProberOptions } from '../../src/probe/http.js';
import type { RequestListener } from 'node:http';
import { exchangeHttpRedirect, exchangeHttps, plainWeb } from '../helpers/exchange-http.js';
import { probeTarget } from '../helpers/probe-target.js';
import { certificate, startHttpServer, startRawServer, TEST_CA, type Running } from '../helpers/servers.js';
import { endless, trickle } from '../helpers/hostile.js';

const OPTIONS: HttpProberOptions = { ...HTTP_DEFAULTS, requestTimeoutMs: 1000, handshakeTimeoutMs: 1000, sessionTimeoutMs: 6000, ca: [TEST_CA()] };

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function probeServer(server: Running, https: boolean, options = OPTIONS): Promise<HttpFacts> {
  servers.push(server);
  const target = probeTarget({ port: server.port, modelPort: https ? 443 : 80, probe: 'http', implicitTls: https });
  const observation = await makeHttpProber(options)(target, new AbortController().signal);
  expect(observation.state).toBe('open');
  return observation.service as HttpFacts;
}

const https = (handler: RequestListener) => startHttpServer(handler, certificate('mail'));

describe('HTTP checker', () => {
  test('Exchange on 443: every virtual directory answers as Exchange does', async () => {
    const facts = await probeServer(await https(exchangeHttps), true);
    expect(facts).toMatchObject({ kind: 'http', scheme: 'https', status: 302, feServer: 'MBX01', owaVersion: '15.1.2507.6' });
    expect(facts.tls).toMatchObject({ handshake: 'ok', trusted: true, hostNameMatch: true });
    const byPath = Object.fromEntries(facts.responses.map((r) => [r.path, r]));
    expect(byPath['/owa']?.status).toBe(302);
    expect(byPath['/owa']?.headers.location?.[0]).toMatch(/\/owa\/auth\/logon\.aspx/);
    expect(byPath['/EWS/Exchange.asmx']).toMatchObject({ status: 401, headers: { 'www-authenticate': ['Negotiate', 'NTLM'] } });
    expect(byPath['/Microsoft-Server-ActiveSync']?.headers['www-authenticate']).toEqual(['Basic realm="mail.contoso.test"']);
    expect(facts.responses.map((r) => r.path)).toHaveLength(7);
  });

  test('a plain web server on 443: 404s, no Exchange headers', async () => {
    const facts = await probeServer(await https(plainWeb), true);
    expect(facts.feServer).toBeUndefined();
    expect(facts.responses.every((r) => r.status === 404)).toBe(true);
  });

  test('port 80 redirecting to https', async () => {
    const facts = await probeServer(await startHttpServer(exchangeHttpRedirect), false);
    expect(facts.scheme).toBe('http');
    expect(facts.responses).toEqual([expect.objectContaining({ path: '/', status: 301, headers: expect.objectContaining({ location: ['https://mail.contoso.test/owa'] }) })]);
  });

  test('port 80 answering with a page', async () => {
    const facts = await probeServer(await startHttpServer(plainWeb), false);
    expect(facts.responses[0]?.status).toBe(200);
  });

  test('not HTTP at all', async () => {
    const facts = await probeServer(await startRawServer((socket) => socket.end('220 smtp here\r\n')), false);
    expect(facts.responses[0]?.failure).toMatchObject({ reason: 'malformed' });
  });

  test('endless headers stop at the header limit', async () => {
    const facts = await probeServer(
      await startRawServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        endless('X-Junk: more\r\n')(socket);
      }),
      false,
    );
    expect(facts.responses[0]?.failure).toMatchObject({ reason: 'limit' });
  });

  test('a trickling server: the request deadline ends it', async () => {
    const facts = await probeServer(await startRawServer(trickle('HTTP/1.1 200 OK\r\n\r\n', 1000)), false);
    expect(facts.responses[0]?.failure).toMatchObject({ reason: 'timeout', phase: 'response to GET /' });
  });

  test('a TLS handshake that never completes stops after the first request', async () => {
    const facts = await probeServer(await startRawServer(() => undefined), true);
    expect(facts.tls).toMatchObject({ handshake: 'failed', failure: { reason: 'timeout' } });
    expect(facts.responses).toHaveLength(1);
  });

  test('no credentials are ever sent', async () => {
    const seen: (string | undefined)[] = [];
    const facts = await probeServer(
      await https((req, res) => {
        seen.push(req.headers.authorization);
        exchangeHttps(req, res);
      }),
      true,
    );
    expect(facts.responses).toHaveLength(7);
    expect(seen).toEqual(Array(7).fill(undefined));
  });
});
