import { sampleRange, tcp, udp } from './ports.js';
import type { Flow } from './types.js';

const REF = 'Exchange documentation: UM protocols, ports and services (Exchange 2016)';
const WHEN = { unifiedMessaging: true } as const;
/** RTP/SRTP media: any UDP port from 1024 to 65535, sampled. */
const RTP = sampleRange(1024, 65535, 4, (port) => udp(port));

export const UNIFIED_MESSAGING: readonly Flow[] = [
  {
    id: 'um.sip',
    purpose: 'SIP from VoIP gateways and IP-PBXs to the UM Call Router (5060 SIP, 5061 SIP over mutual TLS)',
    table: 'unified-messaging',
    source: 'voip-gateway',
    destination: 'mailbox',
    ports: [tcp(5060, 'tcp', { name: 'sip' }), tcp(5061, 'tls', { name: 'sips', implicitTls: true })],
    expectation: 'required',
    when: WHEN,
    component: 'Microsoft Exchange Unified Messaging Call Router service',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'um.service',
    purpose: 'SIP to the UM service (5062, 5063) and the UM worker process (5065-5068)',
    table: 'unified-messaging',
    source: 'voip-gateway',
    destination: 'mailbox',
    ports: [tcp(5062), tcp(5063), tcp(5065), tcp(5066), tcp(5067), tcp(5068)],
    expectation: 'required',
    when: WHEN,
    component: 'Microsoft Exchange Unified Messaging service and worker process',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'um.media-in',
    purpose: 'RTP/SRTP media from VoIP gateways to the UM worker process (sampled)',
    table: 'unified-messaging',
    source: 'voip-gateway',
    destination: 'mailbox',
    ports: RTP,
    expectation: 'required',
    when: WHEN,
    component: 'UM worker process (media)',
    needsListener: false,
    reference: REF,
  },
  {
    id: 'um.sip-out',
    purpose: 'SIP from the Mailbox server to VoIP gateways and IP-PBXs',
    table: 'unified-messaging',
    source: 'mailbox',
    destination: 'voip-gateway',
    ports: [tcp(5060, 'tcp', { name: 'sip' }), tcp(5061, 'tls', { name: 'sips', implicitTls: true })],
    expectation: 'required',
    when: WHEN,
    component: 'Microsoft Exchange Unified Messaging service',
    needsListener: true,
    reference: REF,
  },
  {
    id: 'um.media-out',
    purpose: 'RTP/SRTP media from the UM worker process to VoIP gateways (sampled)',
    table: 'unified-messaging',
    source: 'mailbox',
    destination: 'voip-gateway',
    ports: RTP,
    expectation: 'required',
    when: WHEN,
    component: 'UM worker process (media)',
    needsListener: false,
    reference: REF,
  },
];
