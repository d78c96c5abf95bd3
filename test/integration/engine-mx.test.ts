import { runEngine } from '../../src/probe/engine.js';
import type { Observation, ProbeTarget, Prober } from '../../src/probe/types.js';
import { serverName } from '../../src/probe/types.js';
import { FAST_OPTIONS, makeCheck } from '../helpers/checks.js';
import { startDnsServer, type RunningDns } from '../helpers/dns-server.js';

const ZONE = {
  'example.test': [
    { type: 'MX' as const, exchange: 'mx2.example.test', priority: 20 },
    { type: 'MX' as const, exchange: 'mx1.example.test', priority: 10 },
  ],
  'mx1.example.test': [{ type: 'A' as const, address: '127.0.0.11' }],
  'mx2.example.test': [{ type: 'A' as const, address: '127.0.0.12' }],
  'mail.example.test': [{ type: 'A' as const, address: '127.0.0.21' }],
};

describe('MX destinations: each address is probed under its mail host name', () => {
  let dns: RunningDns;
  beforeAll(async () => {
    dns = await startDnsServer(ZONE);
  });
  afterAll(() => dns.close());

  test('the prober is told the MX host (SNI, EHLO, certificate name), and the observation keeps it', async () => {
    const seen: Array<[string, string]> = [];
    const recording: Prober = async (target: ProbeTarget): Promise<Observation> => {
      seen.push([target.address, serverName(target)]);
      return { state: 'open', address: target.address, attempts: 1 };
    };
    const options = { ...FAST_OPTIONS, dnsServers: [`127.0.0.1:${dns.udpPort}`] };
    const run = await runEngine(
      [makeCheck('example.test', 25, 'tcp', 'smtp', 'mx'), makeCheck('mail.example.test', 443, 'tcp', 'tls', 'name')],
      options,
      { smtp: recording, tls: recording },
    );
    expect(seen.sort()).toEqual([
      ['127.0.0.11', 'mx1.example.test'],
      ['127.0.0.12', 'mx2.example.test'],
      ['127.0.0.21', 'mail.example.test'],
    ]);
    const byAddress = Object.fromEntries(run.observations.map((o) => [o.observation.address, o.observation.hostName]));
    expect(byAddress).toEqual({ '127.0.0.11': 'mx1.example.test', '127.0.0.12': 'mx2.example.test', '127.0.0.21': undefined });
  });
});
