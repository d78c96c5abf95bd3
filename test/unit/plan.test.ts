import { MODEL } from '../../src/model/index.js';
import { plan } from '../../src/plan/plan.js';
import type { Vantage } from '../../src/plan/types.js';
import type { Topology } from '../../src/topology/types.js';
import { EDGE, EDGE_FULL, host, NO_EDGE, topology } from '../helpers/topologies.js';

const SENSITIVE = [2525, 465, 475, 717, 444, 135, 139, 445, 389, 636, 3268, 88, 3389, 5985, 5986, 50389, 64327];
const RPC = [49152, 52429, 55705, 58982, 62258, 65535];
const EXCHANGE = [25, 80, 135, 443, 444, 445, 465, 475, 717, 2525, 64327, ...RPC];
const DC_TCP = [53, 88, 135, 389, 445, 464, 636, 3268, 3269, ...RPC];
const DC_UDP = [53, 88, 123, 389, 464];
const RTP = [1024, 22528, 44031, 65535];

/** `flow host port/transport expectation`, one per check. */
function line(flow: string, host: string, port: number, expectation: string, transport = 'tcp'): string {
  return `${flow} ${host} ${port}/${transport} ${expectation}`;
}
const many = (flow: string, host: string, ports: number[], expectation: string, transport = 'tcp') =>
  ports.map((p) => line(flow, host, p, expectation, transport));
const dns = (flow: string, host: string) => [line(flow, host, 53, 'required', 'udp'), line(flow, host, 53, 'required')];
const internalDc = (host: string) => [
  ...many('internal.domain-controller', host, DC_TCP, 'unrestricted'),
  ...many('internal.domain-controller', host, DC_UDP, 'unrestricted', 'udp'),
];

function lines(topology: Topology, vantage: Vantage): string[] {
  return plan(MODEL, topology, vantage)
    .checks.map((c) => line(c.flow, c.destination.host, c.port, c.expectation, c.transport))
    .sort();
}

const sorted = (xs: string[]) => [...xs].sort();

describe('plan: Mailbox servers only', () => {
  test('from the Internet: client access, inbound mail, and the perimeter sample', () => {
    expect(lines(NO_EDGE, { role: 'internet' })).toEqual(
      sorted([
        line('client.https', 'mail.contoso.com', 443, 'required'),
        line('client.http', 'mail.contoso.com', 80, 'optional'),
        line('client.smtp-submission', 'mail.contoso.com', 587, 'required'),
        line('mail.inbound', 'mail.contoso.com', 25, 'required'),
        ...many('perimeter.internet-to-mailbox', 'mail.contoso.com', SENSITIVE, 'forbidden'),
      ]),
    );
  });

  test('from a client: client access only', () => {
    expect(lines(NO_EDGE, { role: 'client' })).toEqual(
      sorted([
        line('client.https', 'mail.contoso.com', 443, 'required'),
        line('client.http', 'mail.contoso.com', 80, 'optional'),
        line('client.smtp-submission', 'mail.contoso.com', 587, 'required'),
      ]),
    );
  });

  test('from a Mailbox server: outbound mail, DNS, and unrestricted internal traffic to the others', () => {
    expect(lines(NO_EDGE, { role: 'mailbox', host: 'mbx01.contoso.local' })).toEqual(
      sorted([
        line('mail.outbound', 'mx.example.org', 25, 'required'),
        ...dns('mail.dns', '198.18.3.53'),
        ...many('internal.exchange', '198.18.3.11', EXCHANGE, 'unrestricted'),
        ...internalDc('198.18.3.5'),
      ]),
    );
  });

  test('from an Edge server that the organization does not have: nothing', () => {
    expect(lines(NO_EDGE, { role: 'edge' })).toEqual([]);
  });

  test('outbound proxy replaces plain outbound mail', () => {
    const proxied = { ...NO_EDGE, features: { ...NO_EDGE.features, outboundProxy: true } };
    const flows = plan(MODEL, proxied, { role: 'mailbox' }).checks.filter((c) => c.port === 25 && c.destination.role === 'internet');
    expect(flows.map((c) => c.flow)).toEqual(['mail.outbound-proxy']);
  });
});

describe('plan: with a subscribed Edge server', () => {
  test('from the Internet: mail reaches the Edge, never the Mailbox servers', () => {
    expect(lines(EDGE, { role: 'internet' })).toEqual(
      sorted([
        line('client.https', 'mail.contoso.com', 443, 'required'),
        line('client.http', 'mail.contoso.com', 80, 'optional'),
        line('client.smtp-submission', 'mail.contoso.com', 587, 'required'),
        line('edge.inbound', '198.18.2.25', 25, 'required'),
        ...many('perimeter.internet-to-mailbox', 'mail.contoso.com', SENSITIVE, 'forbidden'),
        ...many('perimeter.internet-to-mailbox', '198.18.3.11', SENSITIVE, 'forbidden'),
        line('perimeter.internet-to-mailbox-smtp', 'mail.contoso.com', 25, 'forbidden'),
        line('perimeter.internet-to-mailbox-smtp', '198.18.3.11', 25, 'forbidden'),
        ...many('perimeter.internet-to-edge', '198.18.2.25', [...SENSITIVE, 50700], 'forbidden'),
      ]),
    );
  });

  test('from the Edge server: into the site, out to the Internet (MX), DNS, open proxy detection', () => {
    expect(lines(EDGE, { role: 'edge', host: 'edge01.contoso.com' })).toEqual(
      sorted([
        line('edge.to-internal', '198.18.3.10', 25, 'required'),
        line('edge.to-internal', '198.18.3.11', 25, 'required'),
        line('edge.outbound', 'example.org', 25, 'required'),
        ...dns('edge.dns', '198.18.3.53'),
        ...many('edge.open-proxy', 'example.org', [1080, 1081, 23, 6588, 3128, 80], 'required'),
        ...many('perimeter.edge-to-mailbox', '198.18.3.10', SENSITIVE, 'forbidden'),
        ...many('perimeter.edge-to-mailbox', '198.18.3.11', SENSITIVE, 'forbidden'),
      ]),
    );
    const outbound = plan(MODEL, EDGE, { role: 'edge' }).checks.find((c) => c.flow === 'edge.outbound');
    expect(outbound?.destination).toEqual({ role: 'internet', host: 'example.org', lookup: 'mx' });
  });

  test('from a Mailbox server that took part in the subscription: EdgeSync on the overridden port', () => {
    expect(lines(EDGE, { role: 'mailbox', host: 'mbx01.contoso.local' })).toEqual(
      sorted([
        line('edge.from-internal', '198.18.2.25', 25, 'required'),
        line('edge.edgesync', '198.18.2.25', 50700, 'required'),
        ...dns('mail.dns', '198.18.3.53'),
        ...many('internal.exchange', '198.18.3.11', EXCHANGE, 'unrestricted'),
        ...internalDc('198.18.3.5'),
        ...many('perimeter.mailbox-to-edge', '198.18.2.25', SENSITIVE, 'forbidden'),
      ]),
    );
  });

  test('a Mailbox server added after the subscription does not do EdgeSync, and the plan says why', () => {
    const p = plan(MODEL, EDGE, { role: 'mailbox', host: 'mbx02.contoso.local' });
    expect(p.checks.some((c) => c.flow === 'edge.edgesync')).toBe(false);
    expect(p.notes).toEqual([expect.stringContaining('edge.edgesync: mbx02.contoso.local did not take part')]);
  });
});

describe('plan: Edge with IMAP4, POP3, hybrid and Unified Messaging', () => {
  test('from the Internet: IMAP4 and POP3 appear; hybrid shares the client and Edge checks', () => {
    const p = plan(MODEL, EDGE_FULL, { role: 'internet' });
    expect(lines(EDGE_FULL, { role: 'internet' })).toEqual(
      sorted([
        line('client.https', 'mail.contoso.com', 443, 'required'),
        line('client.http', 'mail.contoso.com', 80, 'optional'),
        ...many('client.imap4', 'mail.contoso.com', [143, 993], 'required'),
        ...many('client.pop3', 'mail.contoso.com', [110, 995], 'required'),
        line('edge.inbound', '198.18.2.25', 25, 'required'),
        ...many('perimeter.internet-to-mailbox', 'mail.contoso.com', SENSITIVE, 'forbidden'),
        line('perimeter.internet-to-mailbox-smtp', 'mail.contoso.com', 25, 'forbidden'),
        ...many('perimeter.internet-to-edge', '198.18.2.25', [...SENSITIVE, 50636], 'forbidden'),
      ]),
    );
    expect(p.checks.find((c) => c.port === 443)?.flows).toEqual(['client.https', 'hybrid.inbound-https']);
    expect(p.checks.find((c) => c.flow === 'edge.inbound')?.flows).toEqual(['edge.inbound', 'hybrid.inbound-smtp-edge']);
    expect(p.checks.find((c) => c.port === 993)).toMatchObject({ probe: 'imap', implicitTls: true });
  });

  test('from a Mailbox server: hybrid to Exchange Online, UM to the gateway, and a note for missing domain controllers', () => {
    const p = plan(MODEL, EDGE_FULL, { role: 'mailbox', host: 'mbx01.contoso.local' });
    expect(lines(EDGE_FULL, { role: 'mailbox', host: 'mbx01.contoso.local' })).toEqual(
      sorted([
        line('edge.from-internal', '198.18.2.25', 25, 'required'),
        line('edge.edgesync', '198.18.2.25', 50636, 'required'),
        ...dns('mail.dns', '198.18.3.53'),
        ...many('perimeter.mailbox-to-edge', '198.18.2.25', SENSITIVE, 'forbidden'),
        line('hybrid.outbound-https', 'contoso.mail.protection.outlook.com', 443, 'required'),
        ...many('um.sip-out', '198.18.4.20', [5060, 5061], 'required'),
        ...many('um.media-out', '198.18.4.20', RTP, 'required', 'udp'),
      ]),
    );
    expect(p.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('internal.exchange: not checked: no other mailbox hosts'),
        expect.stringContaining('internal.domain-controller: not checked: no domain-controller hosts'),
      ]),
    );
  });

  test('from the Edge server: hybrid mail to Exchange Online, no open proxy detection when it is off', () => {
    expect(lines(EDGE_FULL, { role: 'edge' })).toEqual(
      sorted([
        line('edge.to-internal', '198.18.3.10', 25, 'required'),
        line('edge.outbound', '198.18.9.9', 25, 'required'),
        ...dns('edge.dns', '198.18.3.53'),
        ...many('perimeter.edge-to-mailbox', '198.18.3.10', SENSITIVE, 'forbidden'),
        line('hybrid.outbound-smtp-edge', 'contoso.mail.protection.outlook.com', 25, 'required'),
      ]),
    );
  });

  test('from a VoIP gateway: SIP, the UM service and sampled media', () => {
    expect(lines(EDGE_FULL, { role: 'voip-gateway' })).toEqual(
      sorted([
        ...many('um.sip', '198.18.3.10', [5060, 5061], 'required'),
        ...many('um.service', '198.18.3.10', [5062, 5063, 5065, 5066, 5067, 5068], 'required'),
        ...many('um.media-in', '198.18.3.10', RTP, 'required', 'udp'),
      ]),
    );
  });
});

describe('plan: port overrides follow each host', () => {
  test('Mailbox servers published under one external name keep their own overridden ports', () => {
    const shared = topology({}, {
      mailbox: [
        host('mbx01.contoso.local', { external: 'mail.contoso.com' }),
        host('mbx02.contoso.local', { external: 'mail.contoso.com', ports: { https: 8443 } }),
      ],
    });
    const https = plan(MODEL, shared, { role: 'client' }).checks.filter((c) => c.flow === 'client.https');
    expect(https.map((c) => `${c.destination.host}:${c.port}`)).toEqual(['mail.contoso.com:443', 'mail.contoso.com:8443']);
  });
});

describe('plan: checks carry their contract', () => {
  test('ids are unique and stable, and every check says why', () => {
    for (const t of [NO_EDGE, EDGE, EDGE_FULL]) {
      for (const role of ['internet', 'client', 'mailbox', 'edge'] as const) {
        const checks = plan(MODEL, t, { role }).checks;
        expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
        for (const c of checks) {
          expect(c.id).toBe(`${c.flow}:${c.destination.host}:${c.port}/${c.transport}`);
          expect(c.why.startsWith(`${c.flow}: `)).toBe(true);
        }
      }
    }
  });

  test('the plan is deterministic', () => {
    expect(plan(MODEL, EDGE, { role: 'internet' })).toEqual(plan(MODEL, EDGE, { role: 'internet' }));
  });
});

describe('plan: a declared every-port responder for open proxy detection', () => {
  const withResponder: Topology = { ...EDGE, responders: [host('198.18.9.9', { address: '198.18.9.9' })] };

  test('the open proxy checks go to the responder only, marked as answering on every port; outbound SMTP keeps the MX', () => {
    const checks = plan(MODEL, withResponder, { role: 'edge', host: 'edge01.contoso.com' }).checks;
    const proxy = checks.filter((c) => c.flow === 'edge.open-proxy');
    expect(proxy.map((c) => `${c.destination.host}:${c.port}`).sort()).toEqual(
      ['1080', '1081', '23', '3128', '6588', '80'].map((p) => `198.18.9.9:${p}`).sort(),
    );
    for (const c of proxy) expect(c.destination).toEqual({ role: 'internet', host: '198.18.9.9', lookup: 'address', answersEveryPort: true });
    const outbound = checks.filter((c) => c.flow === 'edge.outbound');
    expect(outbound.map((c) => c.destination)).toEqual([{ role: 'internet', host: 'example.org', lookup: 'mx' }]);
  });

  test('without one, open proxy checks go to the MX domain and carry no such mark', () => {
    const proxy = plan(MODEL, EDGE, { role: 'edge' }).checks.filter((c) => c.flow === 'edge.open-proxy');
    expect(proxy.length).toBe(6);
    for (const c of proxy) expect(c.destination.answersEveryPort).toBeUndefined();
  });
});
