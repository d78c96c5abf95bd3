import { tcp } from './ports.js';
import type { Flow } from './types.js';

/**
 * Open proxy detection (sender reputation, Protocol Analysis agent): the Edge server connects
 * back to sending hosts on these ports. Nothing need listen there; only the path matters.
 */
export const OPEN_PROXY: readonly Flow[] = [
  {
    id: 'edge.open-proxy',
    purpose: 'Open proxy detection: SOCKS5/SOCKS4 (1080, 1081), Wingate/Telnet/Cisco (23), HTTP CONNECT/POST (6588, 3128, 80)',
    table: 'open-proxy',
    source: 'edge',
    destination: 'internet',
    ports: [tcp(1080), tcp(1081), tcp(23), tcp(6588), tcp(3128), tcp(80)],
    expectation: 'required',
    when: { edge: true, openProxyDetection: true },
    component: 'Protocol Analysis agent (sender reputation) on the Edge Transport server',
    needsListener: false,
    reference: 'seed: open proxy server detection in sender reputation',
  },
];
