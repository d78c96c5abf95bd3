import { sampleRange, tcp, udp } from './ports.js';
import type { Flow, FlowPort } from './types.js';

const UNRESTRICTED_REF = 'seed: ground rules (internal Exchange traffic must not be restricted)';
const PERIMETER_REF = 'seed: ground rules (the perimeter is restricted to the listed ports)';

/** Dynamic RPC (49152-65535): sampled, never expanded whole. */
const DYNAMIC_RPC = sampleRange(49152, 65535, 6, (port) => tcp(port));

/** Ports Exchange servers use between themselves (sampled: any port must pass). */
const EXCHANGE_TO_EXCHANGE: readonly FlowPort[] = [
  tcp(25, 'tcp', { name: 'smtp' }),
  tcp(80, 'tcp', { name: 'http' }),
  tcp(135),
  // A handshake, not only a connect: what one server sees of another's certificate is the inside
  // view that merge compares with what the Internet sees (TLS interception, load balancers).
  tcp(443, 'tls', { name: 'https', implicitTls: true }),
  tcp(444),
  tcp(445),
  tcp(465),
  tcp(475),
  tcp(717),
  tcp(2525),
  tcp(64327),
  ...DYNAMIC_RPC,
];

/** Domain controller ports Exchange uses (sampled: any port must pass). */
const EXCHANGE_TO_DC: readonly FlowPort[] = [
  udp(53, 'dns'),
  tcp(53, 'dns'),
  tcp(88),
  udp(88),
  udp(123),
  tcp(135),
  tcp(389),
  udp(389),
  tcp(445),
  tcp(464),
  udp(464),
  tcp(636),
  tcp(3268),
  tcp(3269),
  ...DYNAMIC_RPC,
];

/**
 * Sensitive ports that must not cross the perimeter: back-end transport listeners, the back-end
 * web site, RPC and SMB, directory and Kerberos, remote administration, local AD LDS, replication.
 */
const SENSITIVE: readonly FlowPort[] = [
  tcp(2525, 'smtp'),
  tcp(465, 'smtp'),
  tcp(475, 'smtp'),
  tcp(717, 'smtp'),
  tcp(444, 'tls', { implicitTls: true }),
  tcp(135),
  tcp(139),
  tcp(445),
  tcp(389),
  tcp(636),
  tcp(3268),
  tcp(88),
  tcp(3389),
  tcp(5985),
  tcp(5986),
  tcp(50389),
  tcp(64327),
];


export const GROUND_RULES: readonly Flow[] = [
  {
    id: 'internal.exchange',
    purpose: 'Traffic between internal Exchange servers (any port, random RPC ports included)',
    table: 'ground-rules',
    source: 'mailbox',
    destination: 'mailbox',
    ports: EXCHANGE_TO_EXCHANGE,
    expectation: 'unrestricted',
    when: {},
    component: 'All Exchange services between servers',
    needsListener: false,
    reference: UNRESTRICTED_REF,
  },
  {
    id: 'internal.domain-controller',
    purpose: 'Traffic between Exchange servers and Active Directory domain controllers',
    table: 'ground-rules',
    source: 'mailbox',
    destination: 'domain-controller',
    ports: EXCHANGE_TO_DC,
    expectation: 'unrestricted',
    when: {},
    component: 'Active Directory access (DNS, Kerberos, LDAP, Global Catalog, RPC, SMB)',
    needsListener: false,
    reference: UNRESTRICTED_REF,
  },
  {
    id: 'perimeter.internet-to-mailbox',
    purpose: 'Sensitive Mailbox server ports must not be reachable from the Internet',
    table: 'ground-rules',
    source: 'internet',
    destination: 'mailbox',
    ports: SENSITIVE,
    expectation: 'forbidden',
    when: {},
    component: 'Perimeter firewall',
    needsListener: false,
    reference: PERIMETER_REF,
  },
  {
    id: 'perimeter.internet-to-mailbox-smtp',
    purpose: 'With an Edge Transport server, Internet mail reaches the Edge, never the Mailbox servers',
    table: 'ground-rules',
    source: 'internet',
    destination: 'mailbox',
    ports: [tcp(25, 'smtp', { name: 'smtp' })],
    expectation: 'forbidden',
    when: { edge: true },
    component: 'Perimeter firewall',
    needsListener: false,
    reference: PERIMETER_REF,
  },
  {
    id: 'perimeter.internet-to-edge',
    purpose: 'Edge Transport server ports other than SMTP must not be reachable from the Internet',
    table: 'ground-rules',
    source: 'internet',
    destination: 'edge',
    ports: [...SENSITIVE, tcp(50636, 'ldaps', { name: 'edgesync', implicitTls: true })],
    expectation: 'forbidden',
    when: { edge: true },
    component: 'Perimeter firewall',
    needsListener: false,
    reference: PERIMETER_REF,
  },
  {
    id: 'perimeter.edge-to-mailbox',
    purpose: 'The Edge Transport server reaches Mailbox servers on SMTP only',
    table: 'ground-rules',
    source: 'edge',
    destination: 'mailbox',
    ports: SENSITIVE,
    expectation: 'forbidden',
    when: { edge: true },
    component: 'Internal firewall',
    needsListener: false,
    reference: PERIMETER_REF,
  },
  {
    id: 'perimeter.mailbox-to-edge',
    purpose: 'Mailbox servers reach the Edge Transport server on SMTP and EdgeSync only',
    table: 'ground-rules',
    source: 'mailbox',
    destination: 'edge',
    ports: SENSITIVE,
    expectation: 'forbidden',
    when: { edge: true },
    component: 'Internal firewall',
    needsListener: false,
    reference: PERIMETER_REF,
  },
];
