import { fileURLToPath } from 'node:url';
import type { Namespace } from '../helpers/netns-lab.js';
import { listNamespaces, NetnsLab } from '../helpers/netns-lab.js';
import { whenRoot } from '../helpers/root.js';
import { judge } from '../../src/verdict/judge.js';
import type { Check } from '../../src/plan/types.js';
import type { Observation } from '../../src/probe/types.js';

// Real paths the timing and error model must read right: a drop of every connection's first SYN
// (the answer comes only to the kernel's retransmission, after the try's wait), a firewall near
// the scanner that resets at once in front of a host that answers late, no IPv6 route, ICMPv6
// admin-prohibited from a router, a prohibit route and a local firewall drop.

const runner = fileURLToPath(new URL('../helpers/run-engine.mjs', import.meta.url));

interface Seen {
  address: string;
  port: number;
  transport: string;
  state: Observation['state'];
  attempts: number;
  rttMs?: number;
  error?: string;
}
interface EngineOutput {
  observations: Seen[];
  control: number;
}

/** --timeout 1000: the paths below answer only to the kernel's SYN retransmission, 1 s after a try; two tries of 1000 ms outlast it. */
const DEFAULTS = { concurrency: 64, perHost: 32, timeoutMs: 1000, minTimeoutMs: 100, maxTimeoutMs: 10_000, retries: 1, maxRetries: 6, deadlineMs: 30_000, ip: 'both', exclude: [], dnsServers: [] };

async function scan(namespace: Namespace, targets: unknown[], options: Record<string, unknown> = {}): Promise<EngineOutput> {
  return JSON.parse(await namespace.pipe(JSON.stringify({ targets, options: { ...DEFAULTS, ...options } }), 'node', runner)) as EngineOutput;
}

const byTarget = (run: EngineOutput): Map<string, Seen> => new Map(run.observations.map((seen) => [`${seen.address} ${seen.port}/${seen.transport}`, seen]));

function verdictOf(seen: Seen, expectation: Check['expectation']): string {
  const check = { id: 'x', flow: 'x', destination: { role: 'edge', host: seen.address }, transport: seen.transport, port: seen.port, expectation, needsListener: true } as unknown as Check;
  return judge(check, seen as Observation).verdict;
}

const SCANNER = '198.18.1.2';
const FAR = '198.18.2.20';
const SCANNER6 = '2001:2:0:1::2';
const TARGET6 = '2001:2:0:2::20';
/** Not routed anywhere from the scanner: it has no IPv6 default route. */
const UNROUTED6 = '2001:2:0:9::20';
/** A prohibit route on the scanner. */
const PROHIBITED6 = '2001:2:0:3::20';

whenRoot(() => {
  describe('engine on real paths (netns, nftables)', () => {
    let lab: NetnsLab;
    let scanner: Namespace;
    let router: Namespace;
    beforeAll(async () => {
      lab = await NetnsLab.create();
      scanner = await lab.namespace('scan');
      router = await lab.namespace('rtr');
      const target = await lab.namespace('tgt');
      for (const namespace of [scanner, router, target]) {
        await namespace.sysctl('net.ipv6.conf.default.accept_dad', 0);
        await namespace.sysctl('net.ipv6.conf.all.accept_dad', 0);
      }
      const up = await lab.link(scanner, `${SCANNER}/24`, router, '198.18.1.1/24');
      const down = await lab.link(target, `${FAR}/24`, router, '198.18.2.1/24');
      for (const [namespace, device, cidr] of [
        [scanner, up.left, `${SCANNER6}/64`],
        [router, up.right, '2001:2:0:1::1/64'],
        [target, down.left, `${TARGET6}/64`],
        [router, down.right, '2001:2:0:2::1/64'],
      ] as const) {
        await namespace.exec('ip', '-6', 'addr', 'add', cidr, 'dev', device, 'nodad');
      }
      await scanner.route('default', 'via', '198.18.1.1');
      await scanner.exec('ip', '-6', 'route', 'add', '2001:2:0:2::/64', 'via', '2001:2:0:1::1');
      await scanner.exec('ip', '-6', 'route', 'add', 'prohibit', '2001:2:0:3::/64');
      await target.route('default', 'via', '198.18.2.1');
      await target.exec('ip', '-6', 'route', 'add', 'default', 'via', '2001:2:0:2::1');
      await router.sysctl('net.ipv4.ip_forward', 1);
      await router.sysctl('net.ipv6.conf.all.forwarding', 1);
      for (const [key, value] of [['net.ipv4.icmp_ratelimit', 0], ['net.ipv6.icmp.ratelimit', 0]] as const) await router.sysctl(key, value).catch(() => undefined);
      // The router: resets 3000-3099 at once (a firewall near the scanner); drops the first SYN of
      // every connection to the far host's listeners (only the kernel's retransmission, 1 s later,
      // gets through); refuses 8443 over IPv6 with ICMPv6 admin-prohibited; drops the very first SYN
      // to 8081 (loss, seen when a retry is answered); drops every SYN to 5986 for 1.05 s after
      // the first (an outage that eats the first try's retransmission at 1 s, not a later try's).
      await router.nft(`table inet xpt {
  set seen { type ipv4_addr . inet_service; flags dynamic; timeout 1m; }
  set lossy { type ipv4_addr . inet_service; flags dynamic; timeout 1m; }
  set outage { type ipv4_addr . inet_service; flags dynamic; timeout 1050ms; }
  set outaged { type ipv4_addr . inet_service; flags dynamic; timeout 1m; }
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip daddr ${FAR} tcp dport 3000-3099 reject with tcp reset
    ip daddr ${FAR} tcp dport { 3389, 5985 } tcp flags & (syn | ack) == syn ip saddr . tcp sport @seen accept
    ip daddr ${FAR} tcp dport { 3389, 5985 } tcp flags & (syn | ack) == syn add @seen { ip saddr . tcp sport } drop
    ip6 daddr ${TARGET6} tcp dport 8443 reject with icmpv6 type admin-prohibited
    ip daddr ${FAR} tcp dport 8081 tcp flags & (syn | ack) == syn ip daddr . tcp dport @lossy accept
    ip daddr ${FAR} tcp dport 8081 tcp flags & (syn | ack) == syn add @lossy { ip daddr . tcp dport } drop
    ip daddr ${FAR} tcp dport 5986 tcp flags & (syn | ack) == syn ip daddr . tcp dport @outage drop
    ip daddr ${FAR} tcp dport 5986 tcp flags & (syn | ack) == syn ip daddr . tcp dport @outaged accept
    ip daddr ${FAR} tcp dport 5986 tcp flags & (syn | ack) == syn add @outage { ip daddr . tcp dport } add @outaged { ip daddr . tcp dport } drop
  }
}
`);
      // This machine's own firewall drops what it sends to 7777.
      await scanner.nft(`table inet xpt {
  chain output { type filter hook output priority 0; policy accept; tcp dport 7777 drop; udp dport 7777 drop; }
}
`);
      await target.start('node', [
        fileURLToPath(new URL('../helpers/lab-listener.mjs', import.meta.url)),
        JSON.stringify({ tcp: [[FAR, 3389], [FAR, 5985], [FAR, 5986], [FAR, 8080], [FAR, 8081], [TARGET6, 443]] }),
      ]);
    }, 60_000);
    afterAll(async () => {
      await lab?.destroy();
      if (lab) expect((await listNamespaces()).filter((name) => name.endsWith(lab.suffix))).toEqual([]);
    });

    it('a far host behind a firewall near the scanner that resets at once: its open forbidden ports stay open, counted from late answers', async () => {
      const resets = Array.from({ length: 40 }, (_, index) => [FAR, 3000 + index, 'tcp']);
      const run = await scan(scanner, [...resets, [FAR, 3389, 'tcp'], [FAR, 5985, 'tcp']]);
      const seen = byTarget(run);
      for (let index = 0; index < 40; index += 1) expect(seen.get(`${FAR} ${3000 + index}/tcp`)?.state).toBe('closed');
      for (const port of [3389, 5985]) {
        const observation = seen.get(`${FAR} ${port}/tcp`)!;
        expect(observation.state).toBe('open');
        // Only the kernel's retransmission got through: the answer came a second or more after the first SYN.
        expect(observation.rttMs).toBeGreaterThanOrEqual(900);
        expect(verdictOf(observation, 'forbidden')).toBe('exposed');
      }
    }, 30_000);

    it("an answer to an earlier try's retransmission, after that try's wait, counts as open with the tries sent", async () => {
      const run = await scan(scanner, [[FAR, 3389, 'tcp']], { timeoutMs: 400, minTimeoutMs: 100, maxTimeoutMs: 3000, retries: 3, maxRetries: 3 });
      const [observation] = run.observations;
      expect(observation).toMatchObject({ state: 'open' });
      // Try 0 went silent at 400 ms, try 1 was sent; try 0's SYN retransmission (1 s) was answered.
      expect(observation!.attempts).toBeGreaterThanOrEqual(2);
      expect(observation!.attempts).toBeLessThanOrEqual(4);
      expect(observation!.rttMs).toBeGreaterThanOrEqual(900);
    }, 30_000);

    it("a host that answers is not called silent on a port before its first try's SYN retransmission had its wait", async () => {
      // Two tries of 100 ms each end long before the kernel's retransmission at 1 s: their SYNs are
      // both dropped; only the first try's retransmission gets through.
      const run = await scan(scanner, [[FAR, 8080, 'tcp'], [FAR, 5985, 'tcp']], { timeoutMs: 100, minTimeoutMs: 100, maxTimeoutMs: 3000, retries: 1, maxRetries: 1 });
      const seen = byTarget(run);
      expect(seen.get(`${FAR} 8080/tcp`)?.state).toBe('open');
      const observation = seen.get(`${FAR} 5985/tcp`)!;
      expect(observation).toMatchObject({ state: 'open', attempts: 2 });
      expect(observation.rttMs).toBeGreaterThanOrEqual(900);
    }, 30_000);

    it("where loss was seen, a port is not called silent before the latest try's SYN retransmission had its wait", async () => {
      const run = await scan(scanner, [[FAR, 8081, 'tcp'], [FAR, 5986, 'tcp']], { timeoutMs: 100, minTimeoutMs: 100, maxTimeoutMs: 3000, retries: 1, maxRetries: 2 });
      const seen = byTarget(run);
      // The loss: 8081's first SYN was dropped, its retry answered.
      expect(seen.get(`${FAR} 8081/tcp`)).toMatchObject({ state: 'open', attempts: 2 });
      // Every try of 5986 and the first try's retransmission fell in the outage; a later try's retransmission did not.
      const observation = seen.get(`${FAR} 5986/tcp`)!;
      expect(observation.state).toBe('open');
      expect(observation.attempts).toBeGreaterThanOrEqual(2);
    }, 30_000);

    it('no IPv6 route: not probed, no round trip, never a pass or a fail; TCP and UDP alike, no crash', async () => {
      const run = await scan(scanner, [[UNROUTED6, 443, 'tcp'], [UNROUTED6, 53, 'udp'], [UNROUTED6, 3389, 'udp'], [FAR, 8080, 'tcp']]);
      const seen = byTarget(run);
      for (const key of [`${UNROUTED6} 443/tcp`, `${UNROUTED6} 53/udp`, `${UNROUTED6} 3389/udp`]) {
        const observation = seen.get(key)!;
        expect(observation).toMatchObject({ state: 'error', attempts: 1, error: 'not probed: no route to it from this machine (ENETUNREACH)' });
        expect(observation.rttMs).toBeUndefined();
        expect(verdictOf(observation, 'required')).toBe('inconclusive');
        expect(verdictOf(observation, 'forbidden')).toBe('inconclusive');
      }
      expect(seen.get(`${FAR} 8080/tcp`)?.state).toBe('open');
    }, 30_000);

    it('a prohibit route and a local firewall drop are this machine refusing: not probed', async () => {
      const run = await scan(scanner, [[PROHIBITED6, 443, 'tcp'], [PROHIBITED6, 443, 'udp'], [FAR, 7777, 'udp']]);
      const seen = byTarget(run);
      const prohibited = 'not probed: refused by this machine (a prohibit route or its firewall) (EACCES)';
      expect(seen.get(`${PROHIBITED6} 443/tcp`)).toMatchObject({ state: 'error', attempts: 1, error: prohibited });
      expect(seen.get(`${PROHIBITED6} 443/udp`)).toMatchObject({ state: 'error', attempts: 1, error: prohibited });
      expect(seen.get(`${FAR} 7777/udp`)).toMatchObject({ state: 'error', attempts: 1, error: "not probed: refused by this machine's firewall (EPERM)" });
      for (const observation of run.observations) expect(observation.rttMs).toBeUndefined();
    }, 30_000);

    it('a local drop of a TCP SYN is silence to a connect (the kernel retries it quietly): filtered, as nmap -sT says', async () => {
      const run = await scan(scanner, [[FAR, 7777, 'tcp']], { timeoutMs: 300, retries: 0 });
      expect(run.observations[0]).toMatchObject({ state: 'filtered', error: 'no answer within 300 ms' });
    }, 30_000);

    it('ICMPv6 admin-prohibited from a router is a network answer: filtered, the router named, never "not probed"', async () => {
      // This kernel reports the ICMPv6 error of a SYN at its retransmission (~1 s): the kept first try hears it.
      const run = await scan(scanner, [[TARGET6, 8443, 'tcp']]);
      const [refused] = run.observations;
      expect(refused).toMatchObject({ state: 'filtered', error: 'refused by a router or firewall on the path (ICMPv6 admin-prohibited) (EACCES)' });
      expect(refused!.rttMs).toBeGreaterThan(0);
      expect(verdictOf(refused!, 'forbidden')).toBe('pass');
      expect(verdictOf(refused!, 'required')).toBe('fail');
      const open = await scan(scanner, [[TARGET6, 443, 'tcp']]);
      expect(open.observations[0]?.state).toBe('open');
    }, 30_000);
  });
});
