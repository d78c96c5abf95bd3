import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ResEdit from 'resedit';
import { BIN, requireBuild, ROOT, type Run } from '../helpers/cli.js';
import { buildExecutables, ensureExecutables, ExeBox, LINUX_EXE, WINDOWS_EXE, type Invocation, type Runner } from '../helpers/exe.js';
import { whenRoot } from '../helpers/root.js';

interface CheckJson {
  id: string;
  port?: number;
  verdict: string;
  observed: { state: string; error?: string };
  findings?: { id: string }[];
}
interface ResultJson {
  partial?: boolean;
  checks: CheckJson[];
}
interface SmtpJson {
  observation: { service?: { tls?: { trusted?: boolean; trustError?: string } } };
  findings: { id: string }[];
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const TOPOLOGIES = join(ROOT, 'fixtures/topologies');
const SILENT_DNS_PORT = 5353;

/** What a scan decided, check by check, without the times. */
const verdicts = (result: ResultJson): string[] =>
  result.checks.map((c) => `${c.id} ${c.verdict} ${c.observed.state} ${(c.findings ?? []).map((f) => f.id).sort().join(',')}`).sort();

whenRoot(() => {
  let box: ExeBox;
  let lab: ChildProcess;
  let labDir: string;
  let edgeSmtp: string;
  let scratch: string;
  let nextQuery: () => Promise<void>;

  beforeAll(async () => {
    requireBuild();
    ensureExecutables();
    box = await ExeBox.create();
    scratch = mkdtempSync(join(tmpdir(), 'xpe-exe-case-'));
    // The organization the scans look at: the Node build's lab, inside the namespace.
    lab = spawn('ip', ['netns', 'exec', box.namespace.name, process.execPath, BIN, 'lab'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const description = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`lab not ready: ${stdout}`)), 30_000);
      lab.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Stop it with Ctrl+C.')) {
          clearTimeout(timer);
          resolve(stdout);
        }
      });
      lab.once('exit', (code) => reject(new Error(`lab exited with ${code}`)));
    });
    labDir = dirname(/^Topology: (.+)$/m.exec(description)?.[1] ?? '');
    edgeSmtp = `127.0.0.4:${/edge01\.contoso\.lab +edge +127\.0\.0\.4 +smtp (\d+)/.exec(description)?.[1]}`;
    const silent = await box.namespace.start(process.execPath, [
      '-e',
      `const s = require('node:dgram').createSocket('udp4'); s.on('message', () => console.log('query')); s.bind(${SILENT_DNS_PORT}, '127.0.0.1', () => console.log('ready'))`,
    ]);
    // Resolves when the silent DNS server next gets a query: a scan is under way (wine may take seconds to start on a loaded machine).
    nextQuery = () => new Promise<void>((resolve) => silent.stdout?.on('data', function seen(chunk: Buffer | string) {
      if (!String(chunk).includes('query')) return;
      silent.stdout?.off('data', seen);
      resolve();
    }));
    writeFileSync(
      join(scratch, 'silent-dns.yaml'),
      ['organization: loop', 'hosts:', '  mailbox:', '    - { name: 127.0.0.1, address: 127.0.0.1 }', '  dns:', `    - { name: 127.0.0.1, address: 127.0.0.1, ports: { dns: ${SILENT_DNS_PORT} } }`, ''].join('\n'),
    );
  }, 900_000);

  afterAll(async () => {
    lab?.kill('SIGINT');
    await box?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  describe('npm run build:exe', () => {
    test('the exe names exchange-ports and its version, not Node.js', () => {
      const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
      const exe = ResEdit.NtExecutable.from(readFileSync(WINDOWS_EXE), { ignoreCert: true });
      const [info] = ResEdit.Resource.VersionInfo.fromEntries(ResEdit.NtExecutableResource.from(exe).entries);
      const strings = info?.getStringValues({ lang: 1033, codepage: 1200 });
      expect(strings).toMatchObject({ ProductName: 'exchange-ports', OriginalFilename: 'exchange-ports.exe', FileVersion: version, ProductVersion: version });
      expect(Object.values(strings ?? {}).filter((value) => /^Node\.js/.test(value))).toEqual([]);
      expect(info?.fixedInfo.fileVersionMS).toBe((Number(version.split('.')[0]) << 16) + Number(version.split('.')[1]));
    });

    test('a second build of the same source gives the same bytes', () => {
      const again = join(scratch, 'again');
      buildExecutables(again);
      // A difference here is a stale dist/exe (npm run build:exe) or a build that is not reproducible.
      expect(sha256(join(again, 'exchange-ports.exe'))).toBe(sha256(WINDOWS_EXE));
      expect(sha256(join(again, 'exchange-ports-linux-x64'))).toBe(sha256(LINUX_EXE));
      rmSync(again, { recursive: true, force: true });
    }, 600_000);

    test('neither executable carries the path of the checkout it was built in (another clone gives the same bytes)', () => {
      const checkout = Buffer.from(ROOT.replace(/\/$/, ''));
      expect(readFileSync(WINDOWS_EXE).includes(checkout)).toBe(false);
      expect(readFileSync(LINUX_EXE).includes(checkout)).toBe(false);
    });
  });

  describe.each([
    ['the Linux executable', 'linux'],
    ['exchange-ports.exe under wine (Windows 10, loopback only)', 'windows'],
  ] as const)('%s gives what the Node build gives', (_name, which) => {
    const executable: Runner = (invocation) => box[which](invocation);
    const both = async (invocation: Invocation): Promise<[Run, Run]> => [await executable(invocation), await box.node(invocation)];
    const same = async (args: string[], cwd = ROOT): Promise<Run> => {
      const [exe, node] = await both({ args, cwd });
      expect({ args, ...exe }).toEqual({ args, ...node });
      return exe;
    };

    test('--version, ports, init', async () => {
      expect((await same(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
      await same(['--help']);
      expect((await same(['ports', '--format', 'json'])).code).toBe(0);
      await same(['ports']);
      await same(['init']);
      await same(['init', '--edge']);
    }, 120_000);

    test('plan of every fixture organization, and bad topologies', async () => {
      const organizations = readdirSync(TOPOLOGIES).filter((name) => /\.(ya?ml|json)$/.test(name));
      expect(organizations.length).toBeGreaterThanOrEqual(4);
      for (const file of organizations) {
        expect((await same(['plan', '-t', `fixtures/topologies/${file}`, '--from', 'internet', '--format', 'json'])).code).toBe(0);
        await same(['plan', '-t', `fixtures/topologies/${file}`, '--from', 'mailbox']);
      }
      const bad = readdirSync(join(TOPOLOGIES, 'bad')).filter((name) => /\.(ya?ml|json)$/.test(name)).slice(0, 4);
      for (const file of bad) {
        const run = await same(['plan', '-t', `fixtures/topologies/bad/${file}`, '--from', 'internet']);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^exchange-ports: fixtures\/topologies\/bad\//);
      }
      expect((await same(['plan', '-t', 'fixtures/topologies/missing.yaml', '--from', 'internet'])).code).toBe(2);
    }, 300_000);

    test('report, diff and merge of saved results', async () => {
      for (const format of ['table', 'json', 'junit', 'markdown', 'nagios', 'prometheus']) await same(['report', 'fixtures/results/mbx01.json', '--format', format]);
      expect((await same(['diff', 'fixtures/results/before.json', 'fixtures/results/after.json'])).code).toBe(1);
      await same(['diff', 'fixtures/results/before.json', 'fixtures/results/after.json', '--format', 'json']);
      await same(['merge', 'fixtures/results/mbx01.json', 'fixtures/results/internet.json']);
      expect((await same(['merge', 'fixtures/results/mbx01.json', 'fixtures/results/mbx01-other-topology.json'])).code).toBe(2);
    }, 300_000);

    test('a scan of the lab on loopback: the same verdicts and exit code', async () => {
      for (const from of ['edge:edge01.contoso.lab', 'internet']) {
        const args = (out: string) => ['scan', '-t', 'topology.yaml', '--from', from, '--ca', 'lab-ca.pem', '--quiet', '--format', 'json', '--out', out];
        const exe = await executable({ args: args(`${which}.json`), cwd: labDir });
        const node = await box.node({ args: args('node.json'), cwd: labDir });
        expect(exe.stderr).toBe('');
        expect(exe.code).toBe(node.code);
        const exeResult = JSON.parse(readFileSync(join(labDir, `${which}.json`), 'utf8')) as ResultJson;
        const nodeResult = JSON.parse(readFileSync(join(labDir, 'node.json'), 'utf8')) as ResultJson;
        expect(exeResult.checks.filter((c) => c.verdict === 'pass').length).toBeGreaterThan(10);
        expect(verdicts(exeResult)).toEqual(verdicts(nodeResult));
      }
    }, 180_000);

    test('smtp against the lab Edge server, with STARTTLS', async () => {
      const args = ['smtp', edgeSmtp, '--starttls', '--ehlo', 'scanner.contoso.lab', '--ca', 'lab-ca.pem', '--format', 'json'];
      const [exe, node] = await both({ args, cwd: labDir });
      expect(exe.stderr).toBe('');
      expect(exe.code).toBe(node.code);
      // The lab's greeting carries the time, as Exchange's does.
      const withoutTimes = (run: Run): unknown =>
        JSON.parse(run.stdout.replace(/"(rttMs|elapsedMs|ms|durationMs)": [\d.]+/g, '"$1": 0').replace(/ready at [^"]+/g, 'ready at (time)'));
      expect(withoutTimes(exe)).toEqual(withoutTimes(node));
      expect(exe.stdout).toContain('STARTTLS');
    }, 60_000);

    test("init --out: the platform's line ends (CRLF from the exe), the same template and words", async () => {
      const exeDir = join(scratch, `${which}-init`);
      const nodeDir = join(scratch, `${which}-node-init`);
      mkdirSync(exeDir);
      mkdirSync(nodeDir);
      const args = ['init', '--edge', '--out', 'topology.yaml'];
      const exe = await executable({ args, cwd: exeDir });
      expect(exe).toEqual(await box.node({ args, cwd: nodeDir }));
      expect(exe.code).toBe(0);
      const nodeText = readFileSync(join(nodeDir, 'topology.yaml'), 'utf8');
      expect(nodeText).not.toContain('\r');
      expect(readFileSync(join(exeDir, 'topology.yaml'), 'utf8')).toBe(which === 'windows' ? nodeText.replace(/\n/g, '\r\n') : nodeText);
      // The exe reads its own CRLF file back, and refuses to overwrite it in the same words.
      expect((await executable({ args: ['plan', '-t', 'topology.yaml', '--from', 'edge', '--format', 'json'], cwd: exeDir })).code).toBe(0);
      const again = await executable({ args, cwd: exeDir });
      expect(again).toEqual(await box.node({ args, cwd: nodeDir }));
      expect(again.code).toBe(2);
    }, 120_000);

    test('--out to the null device (NUL, nul: and \\\\.\\NUL on Windows; /dev/null elsewhere): what /dev/null gives the Node build', async () => {
      const devices = which === 'windows' ? ['NUL', 'nul:', '\\\\.\\NUL'] : ['/dev/null'];
      const args = (device: string) => ['report', 'fixtures/results/mbx01.json', '--format', 'json', '--out', device, '--format', 'nagios'];
      const node = await box.node({ args: args('/dev/null') });
      expect(node.code).toBe(2);
      expect(node.stdout).toMatch(/^EXCHANGE-PORTS CRITICAL/);
      for (const device of devices) expect(await executable({ args: args(device) })).toEqual(node);
      expect(readdirSync(ROOT).filter((name) => /^nul/i.test(name))).toEqual([]);
    }, 120_000);

    test('lab --standard-ports --scan: the real port numbers, the same verdicts (no refusal on Windows; wine runs as root here)', async () => {
      const args = ['lab', '--standard-ports', '--scan', '--format', 'json'];
      const [exe, node] = await both({ args, cwd: scratch });
      expect(exe.stderr).toBe('');
      expect(exe.code).toBe(node.code);
      const result = JSON.parse(exe.stdout) as ResultJson;
      expect(result.checks.filter((c) => c.port === 25 && c.verdict === 'pass').length).toBeGreaterThan(0);
      // UDP differs under wine, for reasons not of the tool: wine binds a UDP socket bound to one
      // address to 0.0.0.0 (so the lab's DNS answers from the wrong address and is dropped), and
      // Node on Windows never reports a closed UDP port (libuv drops the ICMP error, libuv#5242).
      const tcp = (run: Run): string[] => verdicts(JSON.parse(run.stdout) as ResultJson).filter((line) => line.includes('/tcp '));
      expect(tcp(exe).length).toBeGreaterThan(50);
      expect(tcp(exe)).toEqual(tcp(node));
    }, 180_000);

    test('Ctrl-C during a scan: the partial result, exit 130', async () => {
      const slow = ['--timeout', '10000', '--min-timeout', '10000', '--max-timeout', '10000', '--retries', '0', '--quiet'];
      const args = (out: string) => ['scan', '-t', 'silent-dns.yaml', '--from', 'mailbox', ...slow, '--format', 'json', '--out', out, '--format', 'table'];
      // The signal comes 1.5 s after the DNS query: the TCP checks have finished by then.
      const underWay = () => nextQuery().then(() => new Promise((resolve) => setTimeout(resolve, 1500)));
      const exe = await executable({ args: args(`${which}-cut.json`), cwd: scratch, signal: 'SIGINT', afterMs: 1000, ready: underWay() });
      const node = await box.node({ args: args('node-cut.json'), cwd: scratch, signal: 'SIGINT', afterMs: 1000, ready: underWay() });
      expect(exe.code).toBe(130);
      expect(node.code).toBe(130);
      expect(exe.stdout).toContain('PARTIAL: the scan was cut short');
      const exeResult = JSON.parse(readFileSync(join(scratch, `${which}-cut.json`), 'utf8')) as ResultJson;
      const nodeResult = JSON.parse(readFileSync(join(scratch, 'node-cut.json'), 'utf8')) as ResultJson;
      expect(exeResult.partial).toBe(true);
      expect(exeResult.checks.find((c) => c.id.includes(`:${SILENT_DNS_PORT}/udp`))?.observed.error).toMatch(/cut short \(SIGINT\)/);
      expect(verdicts(exeResult)).toEqual(verdicts(nodeResult));
    }, 90_000);
  });
  describe('certificates: the system store as well as Node roots, never the real machine store', () => {
    const smtp = (runner: Runner, env: Record<string, string | undefined>): Promise<SmtpJson> =>
      runner({ args: ['smtp', edgeSmtp, '--starttls', '--ehlo', 'scanner.contoso.lab', '--format', 'json'], cwd: labDir, env }).then((run) => {
        expect(run.stderr).toBe('');
        // One block per address; the Edge's SMTP listener has one.
        const report = JSON.parse(run.stdout) as { addresses: SmtpJson[] };
        expect(report.addresses).toHaveLength(1);
        return report.addresses[0]!;
      });

    test('Linux, the Node build (its fallback) and the executable (Node 22 tls.getCACertificates): the root in SSL_CERT_FILE is trusted without --ca', async () => {
      const empty = join(scratch, 'empty-store');
      mkdirSync(empty, { recursive: true });
      writeFileSync(join(empty, 'none.pem'), '');
      for (const runner of [box.node, box.linux]) {
        const trusted = await smtp(runner, { SSL_CERT_FILE: join(labDir, 'lab-ca.pem'), SSL_CERT_DIR: empty, NODE_EXTRA_CA_CERTS: undefined });
        expect(trusted.observation.service?.tls).toMatchObject({ trusted: true });
        expect(trusted.findings.map((f) => f.id)).not.toContain('tls.untrusted');
        const untrusted = await smtp(runner, { SSL_CERT_FILE: join(empty, 'none.pem'), SSL_CERT_DIR: empty, NODE_EXTRA_CA_CERTS: undefined });
        expect(untrusted.observation.service?.tls).toMatchObject({ trusted: false });
      }
    }, 120_000);

    test("Windows under wine: untrusted until the root is in the Windows store (the current user's Root), then trusted without --ca", async () => {
      const before = await smtp(box.windows, { NODE_EXTRA_CA_CERTS: undefined });
      expect(before.observation.service?.tls).toMatchObject({ trusted: false });
      expect(before.findings.map((f) => f.id)).toContain('tls.untrusted');
      await box.trustInWindowsStore(readFileSync(join(labDir, 'lab-ca.pem'), 'utf8'));
      const after = await smtp(box.windows, { NODE_EXTRA_CA_CERTS: undefined });
      expect(after.observation.service?.tls).toMatchObject({ trusted: true });
      expect(after.findings.map((f) => f.id)).not.toContain('tls.untrusted');
    }, 120_000);
  });
});
