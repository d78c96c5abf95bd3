import { mergeResults } from '../../src/report/merge.js';
import type { Report } from '../../src/report/types.js';
import { compareVantages } from '../../src/verdict/vantage-views.js';
import type { CheckResult } from '../../src/verdict/types.js';

const tool = { name: 'exchange-ports', version: '9.9.9' };

function cert(fingerprint256: string, issuer: string) {
  return { subject: 'CN=mbx01', names: [], issuer, notBefore: '', notAfter: '', daysLeft: 300, selfSigned: false, serialNumber: '01', fingerprint256 };
}

function https(role: 'internet' | 'mailbox', fingerprint: string, issuer: string, host = '198.18.3.11'): CheckResult {
  return {
    id: `f:${host}:443/tcp`,
    flow: role === 'internet' ? 'client.https' : 'internal.exchange',
    flows: [],
    table: 'client-access',
    source: role === 'internet' ? { role } : { role, host: 'mbx02.contoso.local' },
    destination: { role: 'mailbox', host, lookup: 'address', server: 'mbx01.contoso.local', address: host },
    port: 443,
    transport: 'tcp',
    expectation: role === 'internet' ? 'required' : 'unrestricted',
    probe: role === 'internet' ? 'http' : 'tls',
    implicitTls: true,
    purpose: '',
    component: '',
    needsListener: true,
    why: 'x',
    observed: { state: 'open', attempts: 1 },
    service: { kind: 'tls', handshake: 'ok', hostName: host, certificate: cert(fingerprint, issuer), chain: ['CN=mbx01', issuer] } as never,
    findings: [],
    verdict: 'pass',
  };
}

function smtp(role: 'internet' | 'mailbox', keywords: string[], banner: string): CheckResult {
  const base = https(role, 'AA', 'CN=Contoso CA');
  const extensions = Object.fromEntries(keywords.map((k) => [k, []]));
  return {
    ...base,
    id: 'f:198.18.2.25:25/tcp',
    destination: { role: 'edge', host: '198.18.2.25', lookup: 'address' },
    port: 25,
    probe: 'smtp',
    implicitTls: false,
    service: { kind: 'smtp', implicitTls: false, banner, ehlo: { code: 250, lines: [], command: 'EHLO', extensions }, starttls: { offered: 'STARTTLS' in extensions, attempted: false } } as never,
  };
}

const report = (checks: CheckResult[], vantage: Report['vantage']): Report =>
  ({ schemaVersion: 1, tool, startedAt: '2026-12-02T08:00:00.000Z', finishedAt: '2026-12-02T08:00:01.000Z', vantage, topology: { file: 't', sha256: 'aa', organization: 'contoso' }, partial: false, checks, summary: {} }) as unknown as Report;

describe('what several vantages saw of one server and port', () => {
  test('another certificate from the Internet than from inside is a critical finding on the outside check, naming all three causes', () => {
    const outside = https('internet', 'BB:BB', 'CN=FortiGate CA', 'mail.contoso.com');
    const inside = https('mailbox', 'AA:AA', 'CN=Contoso CA');
    const [out, inn] = compareVantages([outside, inside]);
    expect(inn).toBe(inside);
    expect(out?.verdict).toBe('warn');
    expect(out?.findings.map((f) => `${f.severity}:${f.id}`)).toEqual(['critical:path.differs']);
    const message = out?.findings[0]?.message ?? '';
    expect(message).toMatch(/^mbx01\.contoso\.local:443 looks different from internet than from mailbox:mbx02\.contoso\.local: certificate SHA-256 BB:BB \(inside: AA:AA\); certificate issuer CN=FortiGate CA \(inside: CN=Contoso CA\)/);
    for (const cause of ['a rewriting firewall', 'TLS interception', 'a load balancer or reverse proxy publishing with its own certificate', 'Extended Protection', '451 5.7.3']) {
      expect(message).toContain(cause);
    }
  });

  test('the same certificate from both sides, or a server seen from one side only, adds nothing', () => {
    const same = [https('internet', 'AA:AA', 'CN=Contoso CA'), https('mailbox', 'AA:AA', 'CN=Contoso CA')];
    expect(compareVantages(same)).toEqual(same);
    const alone = [https('internet', 'BB', 'CN=X')];
    expect(compareVantages(alone)).toEqual(alone);
  });

  test('an EHLO keyword present inside and missing outside is named; AUTH, which differs by connector, is not', () => {
    const inside = smtp('mailbox', ['STARTTLS', 'X-ANONYMOUSTLS', 'AUTH', 'SIZE'], '220 edge01 Microsoft ESMTP MAIL Service ready at Wed, 2 Dec 2026 08:00:00 +0000');
    const outside = smtp('internet', ['STARTTLS', 'SIZE', 'XXXXXXXXXXXXXX'], '220 edge01 Microsoft ESMTP MAIL Service ready at Wed, 2 Dec 2026 08:00:05 +0000');
    const [out] = compareVantages([outside, inside]);
    expect(out?.findings[0]?.message).toContain(': EHLO keywords missing X-ANONYMOUSTLS and extra XXXXXXXXXXXXXX. ');
    const onlyAuth = smtp('internet', ['STARTTLS', 'X-ANONYMOUSTLS', 'SIZE'], '220 edge01 Microsoft ESMTP MAIL Service ready at Wed, 2 Dec 2026 08:00:05 +0000');
    expect(compareVantages([onlyAuth, inside])[0]?.findings).toEqual([]);
  });

  test('merge makes the comparison, once, also when a merged result is merged again', () => {
    const outside = report([https('internet', 'BB:BB', 'CN=FortiGate CA', 'mail.contoso.com')], { role: 'internet' });
    const inside = report([https('mailbox', 'AA:AA', 'CN=Contoso CA')], { role: 'mailbox', host: 'mbx02.contoso.local' });
    const merged = mergeResults([{ file: 'out.json', result: outside }, { file: 'in.json', result: inside }], { force: false, tool });
    const differs = merged.checks.flatMap((c) => c.findings).filter((f) => f.id === 'path.differs');
    expect(differs).toHaveLength(1);
    expect(merged.summary.warn).toBe(1);
    const again = mergeResults([{ file: 'merged.json', result: merged }, { file: 'in.json', result: inside }], { force: false, tool });
    expect(again.checks.flatMap((c) => c.findings).filter((f) => f.id === 'path.differs')).toHaveLength(1);
  });
});
