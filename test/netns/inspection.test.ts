import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../src/model/types.js';
import { NETNS_ADDRESSES, startNetnsLab, type NetnsLab } from '../../src/lab/netns/organization.js';
import { fromArgument } from '../../src/lab/vantages.js';
import type { ScanResult } from '../../src/verdict/types.js';
import { BIN } from '../helpers/cli.js';
import { whenRoot } from '../helpers/root.js';

/**
 * The middlebox faults as real proxies in the firewall namespace, on the routed paths:
 * nftables redirects Edge -> mbx01:25 through an ESMTP-inspecting proxy and Internet ->
 * mbx02:443 through a TLS-intercepting one. mbx01 and mbx02 answer SMTP as Exchange 2016 does
 * (the lab's Default Frontend: greeting and EHLO as Microsoft's transcripts show, real STARTTLS).
 */
const { mbx01: MBX01, mbx02: MBX02 } = NETNS_ADDRESSES;

async function scan(lab: NetnsLab, role: Role): Promise<{ code: number; result: ScanResult; stdout: string }> {
  const vantage = lab.vantage(role);
  const from = fromArgument({ role, ...(vantage.host ? { host: vantage.host } : {}) });
  const { code, stdout, stderr } = await lab.exec(vantage.namespace, process.execPath, [BIN, 'scan', '-t', lab.topologyFile, '--from', from, '--ca', lab.authorityFile, '--format', 'json']);
  try {
    return { code, result: JSON.parse(stdout) as ScanResult, stdout };
  } catch {
    throw new Error(`scan --from ${from} printed no JSON (exit ${code}): ${stderr.trim()}`);
  }
}

whenRoot(() => {
  describe('middleboxes on the paths of the namespace lab', () => {
    let lab: NetnsLab;
    let directory: string;
    beforeAll(async () => {
      lab = await startNetnsLab({ edge: true, middleboxes: true, prefix: 'xi-' });
      directory = await mkdtemp(join(tmpdir(), 'xi-scans-'));
    }, 60_000);
    afterAll(async () => {
      await lab?.destroy();
      if (directory) await rm(directory, { recursive: true, force: true });
    });

    test('from the Edge, the inspected flow to mbx01 is down naming the rewriting firewall; mbx02 beside it passes unchanged', async () => {
      const { code, result } = await scan(lab, 'edge');
      const toInternal = result.checks.filter((check) => check.flow === 'edge.to-internal');
      const mbx01 = toInternal.find((check) => check.destination.host === MBX01);
      const mbx02 = toInternal.find((check) => check.destination.host === MBX02);
      expect(mbx01?.verdict).toBe('down');
      const inspected = mbx01?.findings.find((f) => f.id === 'smtp.inspected');
      expect(inspected?.message).toMatch(/SMTP\/ESMTP inspection on a firewall between edge and 198\.19\.3\.11:25/);
      expect(inspected?.message).toContain('the greeting is masked');
      expect(inspected?.message).toContain("EHLO keywords are overwritten with X's (XXXXXXXA, XXXXXXXXXXXXXX");
      expect(inspected?.message).toContain('451 5.7.3 Cannot achieve Exchange Server authentication');
      expect(mbx01?.findings.map((f) => f.id)).not.toContain('smtp.not-exchange');
      expect(mbx02?.verdict).toBe('pass');
      expect(mbx02?.findings.map((f) => f.id)).not.toContain('smtp.inspected');
      expect(mbx02?.service).toMatchObject({ banner: expect.stringMatching(/^220 mbx02\.contoso\.lab Microsoft ESMTP MAIL Service ready at /), starttls: { offered: true, attempted: true } });
      expect(code).toBe(1);
    }, 60_000);

    test('the merge of an inside and an outside scan names the certificate difference on the intercepted path only', async () => {
      const outside = await scan(lab, 'internet');
      const inside = await scan(lab, 'mailbox');
      const intercepted = outside.result.checks.find((check) => check.flow === 'client.https' && check.destination.host === MBX02);
      expect(intercepted?.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['tls.untrusted', 'tls.intercepted']));
      const outsideFile = join(directory, 'internet.json');
      const insideFile = join(directory, 'mailbox.json');
      await writeFile(outsideFile, outside.stdout);
      await writeFile(insideFile, inside.stdout);
      const merged = await lab.exec(lab.firewallNamespace, process.execPath, [BIN, 'merge', outsideFile, insideFile, '--format', 'json']);
      const result = JSON.parse(merged.stdout) as ScanResult;
      const differs = result.checks.filter((check) => check.findings.some((f) => f.id === 'path.differs'));
      expect(differs.map((check) => `${check.source.role} ${check.flow} ${check.destination.host}:${check.port}`)).toEqual([`internet client.https ${MBX02}:443`]);
      const message = differs[0]?.findings.find((f) => f.id === 'path.differs')?.message ?? '';
      expect(message).toMatch(/^mbx02\.contoso\.lab:443 looks different from internet than from mailbox:mbx01\.contoso\.lab: certificate SHA-256 /);
      expect(message).toContain('certificate issuer CN=Lab FortiGate SSL inspection CA (inside: CN=contoso lab root)');
      for (const cause of ['a rewriting firewall', 'TLS interception', 'a load balancer or reverse proxy publishing with its own certificate']) expect(message).toContain(cause);
      // mbx01's HTTPS is not intercepted: the Internet sees the lab's certificate there.
      const plain = outside.result.checks.find((check) => check.flow === 'client.https' && check.destination.host === MBX01);
      expect(plain?.findings.map((f) => f.id)).not.toContain('tls.intercepted');
    }, 90_000);
  });
});
