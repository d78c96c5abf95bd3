import { resolveDestination, type ResolveOptions } from '../../src/probe/resolve.js';
import type { Destination } from '../../src/plan/types.js';
import { startDnsServer, startSilentUdp, type RunningDns } from '../helpers/dns-server.js';

const ZONE = {
  'example.test': [
    { type: 'MX' as const, exchange: 'mx-backup.example.test', priority: 20 },
    { type: 'MX' as const, exchange: 'mx-primary.example.test', priority: 5 },
  ],
  'mx-primary.example.test': [
    { type: 'A' as const, address: '127.0.0.11' },
    { type: 'AAAA' as const, address: '::1' },
  ],
  'mx-backup.example.test': [{ type: 'A' as const, address: '127.0.0.12' }],
  'mail.example.test': [
    { type: 'A' as const, address: '127.0.0.21' },
    { type: 'A' as const, address: '127.0.0.22' },
    { type: 'AAAA' as const, address: '::1' },
  ],
  'nomx.example.test': [{ type: 'A' as const, address: '127.0.0.30' }],
  'v6only.example.test': [{ type: 'AAAA' as const, address: '::1' }],
};

const dest = (host: string, lookup: Destination['lookup']): Destination => ({ role: 'mailbox', host, lookup });

describe('name resolution', () => {
  let dns: RunningDns;
  let options: ResolveOptions;
  const never = new AbortController().signal;
  beforeAll(async () => {
    dns = await startDnsServer(ZONE);
    options = { servers: [{ address: '127.0.0.1', port: dns.udpPort }], ip: 'both', timeoutMs: 500, signal: never };
  });
  afterAll(() => dns.close());

  it('gives every A and AAAA address of a load-balanced name', async () => {
    expect(await resolveDestination(dest('mail.example.test', 'name'), options)).toEqual({ addresses: ['127.0.0.21', '127.0.0.22', '::1'] });
  });

  it('narrows to one family with --ip', async () => {
    expect(await resolveDestination(dest('mail.example.test', 'name'), { ...options, ip: '4' })).toEqual({ addresses: ['127.0.0.21', '127.0.0.22'] });
    expect(await resolveDestination(dest('mail.example.test', 'name'), { ...options, ip: '6' })).toEqual({ addresses: ['::1'] });
    expect(await resolveDestination(dest('v6only.example.test', 'name'), { ...options, ip: '4' })).toEqual({ error: 'v6only.example.test: no A record' });
  });

  it('follows MX records by preference, then every address of each exchange', async () => {
    expect(await resolveDestination(dest('example.test', 'mx'), options)).toEqual({
      addresses: ['127.0.0.11', '::1', '127.0.0.12'],
      names: { '127.0.0.11': 'mx-primary.example.test', '::1': 'mx-primary.example.test', '127.0.0.12': 'mx-backup.example.test' },
    });
  });

  it('says why a name is unresolved: NXDOMAIN, no MX, no server answering', async () => {
    expect(await resolveDestination(dest('missing.example.test', 'name'), options)).toEqual({
      error: 'missing.example.test A: NXDOMAIN, missing.example.test AAAA: NXDOMAIN',
    });
    expect(await resolveDestination(dest('nomx.example.test', 'mx'), options)).toEqual({ error: 'nomx.example.test: no MX record' });
    const silent = await startSilentUdp();
    try {
      const result = await resolveDestination(dest('mail.example.test', 'name'), { ...options, ip: '4', timeoutMs: 200, servers: [{ address: '127.0.0.1', port: silent.port }] });
      // Asked again with backoff before giving up; the error names the question and the server tried.
      expect(result).toEqual({ error: `mail.example.test A: no DNS server answered (127.0.0.1:${silent.port}: no DNS answer over udp within 800 ms)` });
    } finally {
      await silent.close();
    }
  });

  it('falls through to the next server when the first does not answer', async () => {
    const silent = await startSilentUdp();
    try {
      const servers = [{ address: '127.0.0.1', port: silent.port }, { address: '127.0.0.1', port: dns.udpPort }];
      expect(await resolveDestination(dest('nomx.example.test', 'name'), { ...options, servers, timeoutMs: 200 })).toEqual({ addresses: ['127.0.0.30'] });
    } finally {
      await silent.close();
    }
  });

  it('takes literal addresses as they are, and uses the system resolver without servers', async () => {
    expect(await resolveDestination(dest('::1', 'address'), options)).toEqual({ addresses: ['::1'] });
    expect(await resolveDestination(dest('198.18.0.9', 'name'), options)).toEqual({ addresses: ['198.18.0.9'] });
    expect(await resolveDestination(dest('localhost', 'name'), { ...options, servers: [], ip: '4' })).toEqual({ addresses: ['127.0.0.1'] });
    expect(await resolveDestination(dest('no-such-host.invalid', 'name'), { ...options, servers: [] })).toEqual({ error: 'no-such-host.invalid: ENOTFOUND' });
  });

  it('rejects at once when aborted', async () => {
    const silent = await startSilentUdp();
    try {
      const controller = new AbortController();
      const pending = resolveDestination(dest('mail.example.test', 'name'), { ...options, timeoutMs: 60_000, servers: [{ address: '127.0.0.1', port: silent.port }], signal: controller.signal });
      controller.abort('deadline');
      await expect(pending).rejects.toMatchObject({ code: 'ABORT_ERR' });
    } finally {
      await silent.close();
    }
  });
});
