import { DNS_PORTS, tcp } from './ports.js';
import type { Flow } from './types.js';

const REF = 'seed: network ports required for mail flow (no Edge Transport servers)';

/** Mail flow in an organization with Mailbox servers only. */
export const MAIL_FLOW: readonly Flow[] = [
  {
    id: 'mail.inbound',
    purpose: 'Inbound mail from the Internet',
    table: 'mail-flow',
    source: 'internet',
    destination: 'mailbox',
    ports: [tcp(25, 'smtp', { name: 'smtp' })],
    expectation: 'required',
    when: { edge: false },
    component: 'Receive connector "Default Frontend <server>" (Front End Transport service)',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'mail.outbound',
    purpose: 'Outbound mail to the Internet',
    table: 'mail-flow',
    source: 'mailbox',
    destination: 'internet',
    ports: [tcp(25, 'smtp', { name: 'smtp' })],
    expectation: 'required',
    when: { edge: false, outboundProxy: false },
    component: 'Transport service, through a Send connector to the Internet (none exists by default)',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'mail.outbound-proxy',
    purpose: 'Outbound mail to the Internet, proxied through the Front End Transport service',
    table: 'mail-flow',
    source: 'mailbox',
    destination: 'internet',
    ports: [tcp(25, 'smtp', { name: 'smtp' })],
    expectation: 'required',
    when: { edge: false, outboundProxy: true },
    component:
      'Send connector with FrontEndProxyEnabled; Receive connector "Outbound Proxy Frontend <server>" (717, inside the server)',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'mail.dns',
    purpose: 'DNS name resolution of the next mail hop',
    table: 'mail-flow',
    source: 'mailbox',
    destination: 'dns',
    ports: DNS_PORTS,
    expectation: 'required',
    when: {},
    component: 'Transport services (next-hop resolution)',
    needsListener: true,
    reference: REF,
  },
];
