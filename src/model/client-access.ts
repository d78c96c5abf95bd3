import { tcp } from './ports.js';
import type { Flow } from './types.js';

const REF = 'seed: network ports required for clients and services';

/** Clients and services outside the organization -> Client Access services on Mailbox servers. */
export const CLIENT_ACCESS: readonly Flow[] = [
  {
    id: 'client.https',
    purpose:
      'Encrypted web: Autodiscover, Exchange ActiveSync, EWS, OAB distribution, Outlook Anywhere (RPC over HTTP), MAPI over HTTP, Outlook on the web',
    table: 'client-access',
    source: 'client',
    destination: 'mailbox',
    ports: [tcp(443, 'http', { name: 'https', implicitTls: true })],
    expectation: 'required',
    when: {},
    component: 'Client Access services (front end) on the Mailbox server',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'client.http',
    purpose:
      'Unencrypted web: Internet calendar publishing, Outlook on the web redirect to 443, Autodiscover fallback',
    table: 'client-access',
    source: 'client',
    destination: 'mailbox',
    ports: [tcp(80, 'http', { name: 'http' })],
    expectation: 'optional',
    when: {},
    component: 'Client Access services (front end) on the Mailbox server',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'client.imap4',
    purpose: 'IMAP4 clients',
    table: 'client-access',
    source: 'client',
    destination: 'mailbox',
    ports: [tcp(143, 'imap', { name: 'imap' }), tcp(993, 'imap', { name: 'imaps', implicitTls: true })],
    expectation: 'required',
    when: { imap4: true },
    component: 'IMAP4 service, proxying to the IMAP4 Backend service',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'client.pop3',
    purpose: 'POP3 clients',
    table: 'client-access',
    source: 'client',
    destination: 'mailbox',
    ports: [tcp(110, 'pop3', { name: 'pop3' }), tcp(995, 'pop3', { name: 'pop3s', implicitTls: true })],
    expectation: 'required',
    when: { pop3: true },
    component: 'POP3 service, proxying to the POP3 Backend service',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'client.smtp-submission',
    purpose: 'Authenticated SMTP client submission',
    table: 'client-access',
    source: 'client',
    destination: 'mailbox',
    ports: [tcp(587, 'smtp', { name: 'submission' })],
    expectation: 'required',
    when: { smtpSubmission: true },
    component: 'Receive connector "Client Frontend <server>" (Front End Transport service)',
    needsListener: true,
    reference: REF,
  },
];
