import { MODEL } from '../../src/model/index.js';
import type { Flow } from '../../src/model/types.js';

/** The seed's rows, written out by hand: [flow id, source, destination, "port/transport", ...]. */
const SEED_ROWS: ReadonlyArray<[string, string, string, string[]]> = [
  ['client.https', 'client', 'mailbox', ['443/tcp']],
  ['client.http', 'client', 'mailbox', ['80/tcp']],
  ['client.imap4', 'client', 'mailbox', ['143/tcp', '993/tcp']],
  ['client.pop3', 'client', 'mailbox', ['110/tcp', '995/tcp']],
  ['client.smtp-submission', 'client', 'mailbox', ['587/tcp']],
  ['mail.inbound', 'internet', 'mailbox', ['25/tcp']],
  ['mail.outbound', 'mailbox', 'internet', ['25/tcp']],
  ['mail.outbound-proxy', 'mailbox', 'internet', ['25/tcp']],
  ['mail.dns', 'mailbox', 'dns', ['53/udp', '53/tcp']],
  ['edge.inbound', 'internet', 'edge', ['25/tcp']],
  ['edge.to-internal', 'edge', 'mailbox', ['25/tcp']],
  ['edge.from-internal', 'mailbox', 'edge', ['25/tcp']],
  ['edge.outbound', 'edge', 'internet', ['25/tcp']],
  ['edge.edgesync', 'mailbox', 'edge', ['50636/tcp']],
  ['edge.dns', 'edge', 'dns', ['53/udp', '53/tcp']],
  ['edge.open-proxy', 'edge', 'internet', ['1080/tcp', '1081/tcp', '23/tcp', '6588/tcp', '3128/tcp', '80/tcp']],
];

function flow(id: string): Flow {
  const found = MODEL.flows.find((f) => f.id === id);
  if (!found) throw new Error(`no flow ${id}`);
  return found;
}

const ports = (f: Flow) => f.ports.map((p) => `${p.port}/${p.transport}`);

describe('the model', () => {
  test.each(SEED_ROWS)('%s: %s -> %s on %j', (id, source, destination, expected) => {
    const f = flow(id);
    expect(f.source).toBe(source);
    expect(f.destination).toBe(destination);
    expect(ports(f)).toEqual(expected);
  });

  test('the seven services behind 443 are named', () => {
    const purpose = flow('client.https').purpose;
    for (const service of ['Autodiscover', 'ActiveSync', 'EWS', 'OAB', 'RPC over HTTP', 'MAPI over HTTP', 'Outlook on the web']) {
      expect(purpose).toContain(service);
    }
  });

  test('conditions follow the seed', () => {
    expect(flow('client.imap4').when).toEqual({ imap4: true });
    expect(flow('client.pop3').when).toEqual({ pop3: true });
    expect(flow('mail.inbound').when).toEqual({ edge: false });
    expect(flow('mail.outbound-proxy').when).toEqual({ edge: false, outboundProxy: true });
    expect(flow('edge.open-proxy').when).toEqual({ edge: true, openProxyDetection: true });
    for (const id of ['edge.inbound', 'edge.to-internal', 'edge.from-internal', 'edge.outbound', 'edge.edgesync', 'edge.dns']) {
      expect(flow(id).when).toEqual({ edge: true });
    }
  });

  test('EdgeSync is secure LDAP and movable; DNS is probed with queries', () => {
    expect(flow('edge.edgesync').ports[0]).toMatchObject({ probe: 'ldaps', name: 'edgesync', implicitTls: true });
    expect(flow('mail.dns').ports.every((p) => p.probe === 'dns')).toBe(true);
  });

  test('internal traffic is unrestricted, with dynamic RPC sampled', () => {
    const internal = flow('internal.exchange');
    expect(internal.expectation).toBe('unrestricted');
    const rpc = internal.ports.filter((p) => p.range);
    expect(rpc.length).toBeGreaterThan(1);
    expect(rpc.length).toBeLessThan(20);
    expect(rpc.map((p) => p.port)).toContain(49152);
    expect(rpc.map((p) => p.port)).toContain(65535);
    expect(flow('internal.domain-controller').destination).toBe('domain-controller');
    expect(ports(flow('internal.domain-controller'))).toEqual(
      expect.arrayContaining(['53/udp', '53/tcp', '88/tcp', '88/udp', '123/udp', '135/tcp', '389/tcp', '636/tcp', '3268/tcp', '445/tcp', '464/tcp']),
    );
  });

  test('the perimeter sample is forbidden, and Mailbox 25 from the Internet only with an Edge server', () => {
    const sensitive = [2525, 465, 475, 476, 477, 717, 444, 135, 139, 445, 389, 636, 3268, 88, 3389, 5985, 5986, 50389, 64327];
    for (const id of ['perimeter.internet-to-mailbox', 'perimeter.internet-to-edge', 'perimeter.edge-to-mailbox']) {
      const f = flow(id);
      expect(f.expectation).toBe('forbidden');
      expect(f.ports.map((p) => p.port)).toEqual(expect.arrayContaining(sensitive));
    }
    expect(flow('perimeter.internet-to-mailbox-smtp')).toMatchObject({ when: { edge: true }, expectation: 'forbidden' });
  });

  test('extension tables are off unless enabled', () => {
    for (const f of [...MODEL.tables.hybrid, ...MODEL.tables['unified-messaging']]) {
      expect(f.when.hybrid === true || f.when.unifiedMessaging === true).toBe(true);
    }
  });

  test('ids are unique and the data is frozen', () => {
    const ids = MODEL.flows.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.isFrozen(MODEL.flows[0])).toBe(true);
    expect(Object.isFrozen(MODEL.flows[0]?.ports)).toBe(true);
  });
});

describe('model: back-end transport listeners from real servers', () => {
  test('476 and 477 (Mailbox Transport on Exchange 2019) are in the back-end sample and the perimeter set; 465 is plain SMTP', async () => {
    const { MODEL } = await import('../../src/model/index.js');
    const internal = MODEL.flows.find((f) => f.id === 'internal.exchange');
    expect(internal?.ports.map((p) => p.port)).toEqual(expect.arrayContaining([475, 476, 477]));
    const perimeter = MODEL.flows.filter((f) => f.expectation === 'forbidden').flatMap((f) => f.ports);
    for (const port of [476, 477, 465]) expect(perimeter.find((p) => p.port === port)).toMatchObject({ probe: 'smtp' });
    for (const p of perimeter.filter((p) => p.port === 465)) expect(p.implicitTls ?? false).toBe(false);
  });
});
