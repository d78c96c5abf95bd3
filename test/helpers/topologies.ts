import { FEATURES, ROLES, type Feature, type Role } from '../../src/model/types.js';
import type { Host, Topology } from '../../src/topology/types.js';
import { FEATURE_DEFAULTS } from '../../src/topology/validate.js';

export function host(name: string, extra: Partial<Host> = {}): Host {
  return { name, ports: {}, edgeSync: true, ...extra };
}

/** A normalized Topology for pure-layer tests, without going through the parser. */
export function topology(
  features: Partial<Record<Feature, boolean>>,
  hosts: Partial<Record<Role, Host[]>>,
  mxDomain?: string,
): Topology {
  const all = Object.fromEntries(ROLES.map((r) => [r, hosts[r] ?? []])) as Record<Role, Host[]>;
  const f = { ...FEATURE_DEFAULTS, ...features };
  for (const k of FEATURES) if (typeof f[k] !== 'boolean') throw new Error(k);
  return { file: 'test.yaml', sha256: '0'.repeat(64), organization: 'contoso', features: f, hosts: all, ...(mxDomain ? { mxDomain } : {}) };
}

/** Mailbox servers only. */
export const NO_EDGE = topology(
  {},
  {
    mailbox: [host('mbx01.contoso.local', { address: '198.18.3.10', external: 'mail.contoso.com' }), host('mbx02.contoso.local', { address: '198.18.3.11', external: 'mail.contoso.com' })],
    dns: [host('198.18.3.53', { address: '198.18.3.53' })],
    'domain-controller': [host('dc01.contoso.local', { address: '198.18.3.5' })],
    internet: [host('mx.example.org')],
  },
);

/** One subscribed Edge server; mbx02 joined after the subscription. */
export const EDGE = topology(
  { edge: true },
  {
    mailbox: [
      host('mbx01.contoso.local', { address: '198.18.3.10', external: 'mail.contoso.com' }),
      host('mbx02.contoso.local', { address: '198.18.3.11', edgeSync: false }),
    ],
    edge: [host('edge01.contoso.com', { address: '198.18.2.25', ports: { edgesync: 50700 } })],
    dns: [host('198.18.3.53', { address: '198.18.3.53' })],
    'domain-controller': [host('dc01.contoso.local', { address: '198.18.3.5' })],
  },
  'example.org',
);

/** Edge with IMAP4, POP3, hybrid and Unified Messaging. */
export const EDGE_FULL = topology(
  { edge: true, imap4: true, pop3: true, hybrid: true, unifiedMessaging: true, openProxyDetection: false, smtpSubmission: false },
  {
    mailbox: [host('mbx01.contoso.local', { address: '198.18.3.10', external: 'mail.contoso.com' })],
    edge: [host('edge01.contoso.com', { address: '198.18.2.25' })],
    dns: [host('198.18.3.53', { address: '198.18.3.53' })],
    office365: [host('contoso.mail.protection.outlook.com')],
    'voip-gateway': [host('198.18.4.20', { address: '198.18.4.20' })],
    internet: [host('198.18.9.9', { address: '198.18.9.9' })],
  },
);
