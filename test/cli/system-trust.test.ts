import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, ROOT, runCliAsync } from '../helpers/cli.js';
import { smtpFixture, startSmtpServer, type Running } from '../helpers/servers.js';

interface SmtpJson {
  observation: { service?: { tls?: { trusted?: boolean; trustError?: string } } };
  findings: { id: string }[];
}

/** The smtp command's JSON: one block per address; the server here has one. */
interface SmtpReportJson {
  addresses: SmtpJson[];
}

/**
 * The "system store" of the child process is a temporary one (SSL_CERT_FILE, SSL_CERT_DIR): the
 * machine's real store is never touched. NODE_EXTRA_CA_CERTS is removed, so only the system
 * store can make the test CA trusted.
 */
function environment(certFile: string, certDir: string): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _extra, ...rest } = process.env;
  return { ...rest, NO_COLOR: '1', SSL_CERT_FILE: certFile, SSL_CERT_DIR: certDir };
}

describe(`certificates checked against the system store as well (built CLI, Node ${process.version})`, () => {
  let server: Running;
  let dir: string;
  beforeAll(async () => {
    requireBuild();
    server = await startSmtpServer(smtpFixture('exchange2016-25'));
    dir = mkdtempSync(join(tmpdir(), 'xpx-trust-'));
    writeFileSync(join(dir, 'empty.pem'), '');
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const smtp = async (env: NodeJS.ProcessEnv, extra: string[] = []): Promise<SmtpJson> => {
    const run = await runCliAsync(['smtp', `127.0.0.1:${server.port}`, '--starttls', '--ehlo', 'probe.example.test', '--format', 'json', ...extra], { env });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as SmtpReportJson;
    expect(report.addresses).toHaveLength(1);
    return report.addresses[0]!;
  };

  test('a server whose chain ends at a root in the system store is trusted without --ca', async () => {
    const report = await smtp(environment(join(ROOT, 'fixtures/certs/ca.pem'), dir));
    expect(report.observation.service?.tls).toMatchObject({ trusted: true });
    expect(report.findings.map((f) => f.id)).not.toContain('tls.untrusted');
  });

  test('the same root in a file of the system directory', async () => {
    const store = join(dir, 'store');
    mkdirSync(store);
    copyFileSync(join(ROOT, 'fixtures/certs/ca.pem'), join(store, 'org-root.pem'));
    const report = await smtp(environment(join(dir, 'empty.pem'), store));
    expect(report.observation.service?.tls).toMatchObject({ trusted: true });
  });

  test('with the root in neither: untrusted, and --ca still adds it', async () => {
    const empty = environment(join(dir, 'empty.pem'), dir);
    const untrusted = await smtp(empty);
    expect(untrusted.observation.service?.tls).toMatchObject({ trusted: false, trustError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(untrusted.findings.map((f) => f.id)).toContain('tls.untrusted');
    const added = await smtp(empty, ['--ca', join(ROOT, 'fixtures/certs/ca.pem')]);
    expect(added.observation.service?.tls).toMatchObject({ trusted: true });
  });
});
