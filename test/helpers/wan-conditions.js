// The network conditions the WAN suites and `npm run bench` scan the WAN lab under: which of
// the lab's names a topology holds (from a Mailbox server) and how the WAN link behaves.
// Loss is each way, on the far site's link; jitter is the round trip's spread.
import { DOMAIN } from './wan-lab.js';

const [mbx01, mbx02, mbx03, mbx04, edge01] = ['mbx01', 'mbx02', 'mbx03', 'mbx04', 'edge01'].map((host) => `${host}.${DOMAIN}`);

export const CONDITIONS = [
  { id: 'lan', label: 'LAN (far site at 0 ms)', mailbox: [mbx01, mbx02, mbx04], edge: [edge01], link: { rttMs: 0 } },
  { id: 'far-100', label: 'near + far 100 ms', mailbox: [mbx01, mbx02], link: { rttMs: 100 } },
  { id: 'far-200', label: 'near + far 200 ms', mailbox: [mbx01, mbx02], link: { rttMs: 200 } },
  { id: 'jitter', label: 'near + far 200 ms, 10 ms jitter', mailbox: [mbx01, mbx02], link: { rttMs: 200, jitterMs: 10 } },
  { id: 'resetting-firewall', label: 'far Edge (200 ms) behind a near resetting firewall', mailbox: [mbx01], edge: [edge01], link: { rttMs: 200 } },
  { id: 'no-ipv6-route', label: 'dual-stack name, scanner without IPv6 route (200 ms)', mailbox: [mbx01, mbx03], link: { rttMs: 200 } },
  { id: 'dead-a', label: 'a name with one dead A record (200 ms)', mailbox: [mbx01, mbx04], link: { rttMs: 200 } },
  { id: 'loss-3', label: '3% loss each way', mailbox: [mbx01, mbx02], edge: [edge01], link: { loss: 0.03 } },
  { id: 'loss-10', label: '10% loss each way', mailbox: [mbx01, mbx02], edge: [edge01], link: { loss: 0.1 } },
];

export const condition = (id) => {
  const found = CONDITIONS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`wan lab: no condition ${id}`);
  return found;
};
