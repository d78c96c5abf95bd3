import { spawn } from 'node:child_process';
import { listNamespaces, type Namespace } from '../helpers/netns-lab.js';
import { nmapStates } from '../helpers/nmap.js';
import { whenRoot } from '../helpers/root.js';
import { condition } from '../helpers/wan-conditions.js';
import { ADDRESSES, createWanLab, forwarderBinary, truthState } from '../helpers/wan-lab.js';
import { scanCondition, useWanLab } from '../helpers/wan-scan.js';

/** Milliseconds a TCP connect from the scanner namespace takes, run there by node. */
async function connectMs(scanner: Namespace, address: string, port: number): Promise<number> {
  const script = `const s=require('net').connect(${port},'${address}');const t=performance.now();s.on('connect',()=>{console.log(performance.now()-t);s.destroy()});s.on('error',(e)=>{console.log('error '+e.code)})`;
  const out = (await scanner.exec(process.execPath, '-e', script)).trim();
  if (!/^[\d.]+$/.test(out)) throw new Error(`connect to ${address}:${port}: ${out}`);
  return Number(out);
}

/**
 * Sends `count` UDP datagrams from the scanner to the far site's dead address (nothing answers),
 * in bursts of 50 with a pause between them, so that no queue on the way overflows on a loaded
 * machine (that would be loss the link did not make, and breaks the same-seed comparison).
 */
async function sendDatagrams(scanner: Namespace, count: number): Promise<void> {
  const script = `const s=require('dgram').createSocket('udp4');let sent=0;const next=()=>{if(sent>=${count})return s.close();sent+=1;if(sent%50===0)setTimeout(()=>s.send('x',9,'198.18.3.99',next),2);else s.send('x',9,'198.18.3.99',next)};next()`;
  await scanner.exec(process.execPath, '-e', script);
}

/** The link's counts once `count` packets have reached it (it may still be reading its queue). */
async function statsAfter(link: { stats(): Promise<{ passed: number; dropped: number }> }, count: number) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const stats = await link.stats();
    if (stats.passed + stats.dropped >= count || Date.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const linkExists = (name: string): Promise<boolean> =>
  new Promise((resolve) => spawn('ip', ['link', 'show', 'dev', name], { stdio: 'ignore' }).on('exit', (code) => resolve(code === 0)));

whenRoot(() => {
  describe('the WAN lab: a user-space WAN link (TUN devices and a forwarder), ground truth per port', () => {
    const wan = useWanLab();

    it('the link adds the round trip asked to the far site only; jitter spreads it', async () => {
      await wan.link.set({ rttMs: 200 });
      const far = await connectMs(wan.scanner, '198.18.3.10', 25);
      expect(far).toBeGreaterThanOrEqual(199);
      expect(far).toBeLessThan(400);
      // The near site skips the link: well under the far site's 200 ms even on a loaded machine.
      expect(await connectMs(wan.scanner, '198.18.2.10', 25)).toBeLessThan(150);
      await wan.link.set({ rttMs: 100, jitterMs: 40 });
      const spread: number[] = [];
      for (let index = 0; index < 8; index += 1) spread.push(await connectMs(wan.scanner, '198.18.3.10', 25));
      // Each direction is 50 ms +/- 40 ms: a round trip between 20 and 180 ms, 100 on average.
      for (const ms of spread) expect(ms).toBeGreaterThanOrEqual(19);
      const mean = spread.reduce((sum, ms) => sum + ms, 0) / spread.length;
      expect(mean).toBeGreaterThan(60);
      expect(mean).toBeLessThan(200);
      expect(Math.max(...spread) - Math.min(...spread)).toBeGreaterThan(2);
    }, 30_000);

    it('loss drops about the fraction asked, each way, the same packets for the same seed', async () => {
      const dropped: number[] = [];
      // Let the previous test's connections finish: only the datagrams may cross the link.
      await wan.link.set({ rttMs: 0 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const seed of [7, 7, 8]) {
        await wan.link.set({ loss: 0.1, seed });
        await sendDatagrams(wan.scanner, 2000);
        const stats = await statsAfter(wan.link, 2000);
        expect(stats.passed + stats.dropped).toBe(2000);
        dropped.push(stats.dropped);
      }
      expect(dropped[0]).toBe(dropped[1]);
      expect(dropped[0]).not.toBe(dropped[2]);
      for (const count of dropped) {
        expect(count).toBeGreaterThan(120);
        expect(count).toBeLessThan(280);
      }
    }, 30_000);

    it('ground truth: nmap -sT sees every IPv4 address and port as truthState says (LAN link)', async () => {
      await wan.link.set({ rttMs: 0 });
      const addresses = Object.keys(ADDRESSES).filter((address) => !address.includes(':'));
      const ports = [...new Set(Object.values(ADDRESSES).flatMap((host) => [...(host.listen ?? []), ...(host.drop ?? []), ...(host.passed ?? [])]))].concat([135, 139, 389]);
      const states = await nmapStates(wan.scanner, ['-sT', '-Pn', '-T4', '-p', ports.join(','), ...addresses]);
      const truth = new Map(addresses.flatMap((address) => ports.map((port) => [`${address} ${port}/tcp`, truthState(address, port, 'tcp')] as const)));
      expect(new Set(truth.values())).toEqual(new Set(['open', 'closed', 'filtered']));
      expect(states).toEqual(truth);
    }, 60_000);

    it('the scanner has no IPv6 route: a connect to the dual-stack name\'s AAAA fails in this machine', async () => {
      const script = `require('net').connect(25,'2001:2::11').on('error',(e)=>console.log(e.code))`;
      expect((await wan.scanner.exec(process.execPath, '-e', script)).trim()).toBe('ENETUNREACH');
    });

    it('LAN: a scan from a Mailbox server sees every check as the ground truth says', async () => {
      const scanned = await scanCondition(wan, condition('lan'));
      expect(scanned.stderr).toBe('');
      expect(scanned.partial).toBe(false);
      expect(scanned.score.probes).toBeGreaterThan(90);
      expect(scanned.score.mistakes).toEqual([]);
    }, 60_000);
  });

  describe('the WAN forwarder and lab clean up after themselves', () => {
    it('the forwarder ends (and its TUN devices go) when its parent dies, even with its input still open', async () => {
      const binary = await forwarderBinary();
      const devices = [`xpw${process.pid % 100000}p`, `xpw${process.pid % 100000}q`];
      // The parent hands the forwarder its own stdin, which this test keeps open.
      const parent = spawn(process.execPath, ['-e', `const c=require('child_process').spawn(${JSON.stringify(binary)},${JSON.stringify(devices)},{stdio:['inherit','pipe','inherit']});c.stdout.on('data',(d)=>process.stdout.write(c.pid+' '+d));setInterval(()=>{},1000)`], { stdio: ['pipe', 'pipe', 'inherit'] });
      try {
        const line = await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
        const [pid, ready] = line.trim().split(' ');
        expect(ready).toBe('ready');
        expect(await linkExists(devices[0]!)).toBe(true);
        parent.kill('SIGKILL');
        const deadline = Date.now() + 5000;
        let alive = true;
        while (alive && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          try {
            process.kill(Number(pid), 0);
          } catch {
            alive = false;
          }
        }
        expect(alive).toBe(false);
        expect(await linkExists(devices[0]!)).toBe(false);
        expect(await linkExists(devices[1]!)).toBe(false);
      } finally {
        parent.kill('SIGKILL');
        parent.stdin.end();
      }
    });

    it('destroy() removes the namespaces, the forwarder and its devices', async () => {
      const { lab } = await createWanLab();
      const names = (await listNamespaces('xpw-')).filter((name) => name.endsWith(lab.suffix));
      expect(names).toHaveLength(4);
      const forwarders = [...lab.children].filter((child) => child.spawnargs[0]?.endsWith('wan-link'));
      expect(forwarders).toHaveLength(1);
      await lab.destroy();
      expect((await listNamespaces('xpw-')).filter((name) => name.endsWith(lab.suffix))).toEqual([]);
      expect(forwarders[0]!.exitCode !== null || forwarders[0]!.signalCode !== null).toBe(true);
      expect(await linkExists(`xpw${lab.suffix}r`)).toBe(false);
    }, 60_000);
  });
});
