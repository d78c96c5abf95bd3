import { diffResults } from '../../src/report/diff.js';
import type { Change, ChangeKind } from '../../src/report/types.js';
import type { CheckResult } from '../../src/verdict/types.js';
import { fixture } from '../helpers/report-fixtures.js';

const before = fixture('before.json');
const after = fixture('after.json');
const diff = diffResults(before, after, 'before.json');
const of = (kind: ChangeKind): Change[] => diff.changes.filter((c) => c.kind === kind);
const ids = (kind: ChangeKind) => of(kind).map((c) => c.check);

describe('diff: every classification', () => {
  test('regression: a required flow that passed is now blocked', () => {
    expect(of('regression')).toEqual([expect.objectContaining({ check: 'edge.from-internal:198.18.2.25:25/tcp', before: 'pass', after: 'fail' })]);
    expect(of('regression')[0]!.facts[0]).toEqual({ fact: 'observed', before: 'open', after: 'filtered' });
  });

  test('new exposure: a forbidden flow is now reachable', () => {
    expect(of('new-exposure')).toEqual([expect.objectContaining({ check: 'perimeter.mailbox-to-edge:198.18.2.25:3389/tcp', before: 'pass', after: 'exposed' })]);
  });

  test('fixed: a failing flow now passes', () => {
    expect(of('fixed')).toEqual([expect.objectContaining({ check: 'edge.edgesync:198.18.2.25:50636/tcp', before: 'fail', after: 'pass' })]);
  });

  test('service change: extensions, findings and certificate, with the same verdict', () => {
    expect(ids('service-change').sort()).toEqual(['internal.exchange:198.18.3.11:25/tcp', 'internal.exchange:198.18.3.11:443/tcp']);
    const smtp = of('service-change').find((c) => c.port === 25)!;
    expect(smtp.facts).toEqual([
      { fact: 'ehlo', before: ['SIZE', 'PIPELINING', 'STARTTLS'], after: ['SIZE', 'PIPELINING'] },
      { fact: 'findings', before: [], after: ['smtp.no-starttls'] },
    ]);
    const cert = of('service-change').find((c) => c.port === 443)!;
    expect(cert.facts.map((f) => f.fact)).toEqual(['certificate.fingerprint256', 'certificate.notAfter', 'certificate.notBefore', 'certificate.serialNumber']);
  });

  test('a greeting that differs only in its date, and days-left counting down, are not changes', () => {
    const smtp2525 = after.checks.find((c) => c.id === 'internal.exchange:198.18.3.11:2525/tcp')!;
    const old2525 = before.checks.find((c) => c.id === smtp2525.id)!;
    expect(smtp2525.service?.greeting).not.toBe(old2525.service?.greeting);
    expect(diff.changes.some((c) => c.check === smtp2525.id)).toBe(false);
    const edgesyncDays = (c: CheckResult) => (c.service as { certificate?: { daysLeft?: number } } | undefined)?.certificate?.daysLeft;
    const later: typeof after = { ...after, checks: after.checks.map((c) => (c.service?.kind === 'tls' ? { ...c, service: { ...c.service, certificate: { ...(c.service.certificate as object), daysLeft: (edgesyncDays(c) ?? 0) - 7 } } } : c)) };
    expect(diffResults(after, later, 'after.json').changes).toEqual([]);
  });

  test('a dated greeting inside a list (a transcript), in the checker\'s own date style, is not a change either', () => {
    const withTranscript = (date: string): typeof after => ({
      ...after,
      checks: after.checks.map((c) =>
        c.id === 'internal.exchange:198.18.3.11:2525/tcp'
          ? { ...c, service: { ...c.service!, transcript: [{ from: 'server', text: `220 mbx02 Microsoft ESMTP MAIL Service ready at ${date}`, atMs: date.length }] } }
          : c,
      ),
    });
    const one = withTranscript('Fri, 27 Nov 2026 21:14:05 GMT');
    const two = withTranscript('Sat, 28 Nov 2026 03:00:59 +0000');
    expect(diffResults(one, two, 'one.json').changes).toEqual([]);
    const changed = { ...two, checks: two.checks.map((c) => (c.service?.transcript ? { ...c, service: { ...c.service, transcript: [{ from: 'server', text: '554 go away' }] } } : c)) };
    expect(diffResults(one, changed, 'one.json').changes.map((c) => c.kind)).toEqual(['service-change']);
  });

  test('verdict change: any other verdict move (pass -> inconclusive)', () => {
    expect(of('verdict-change')).toEqual([expect.objectContaining({ check: 'internal.domain-controller:198.18.3.5:88/udp', before: 'pass', after: 'inconclusive' })]);
  });

  test('new and removed checks', () => {
    expect(of('new-check')).toEqual([expect.objectContaining({ check: 'internal.domain-controller:198.18.3.5:3268/tcp', after: 'pass' })]);
    expect(of('new-check')[0]!.before).toBeUndefined();
    expect(of('removed-check')).toEqual([expect.objectContaining({ check: 'internal.domain-controller:198.18.3.5:3269/tcp', before: 'pass' })]);
    expect(of('removed-check')[0]!.after).toBeUndefined();
  });

  test('the summary counts every kind and the unchanged checks', () => {
    expect(diff.summary).toEqual({ regression: 1, 'new-exposure': 1, fixed: 1, 'service-change': 2, 'verdict-change': 1, 'new-check': 1, 'removed-check': 1, unchanged: 6 });
    expect(diff.summary.unchanged + diff.changes.length - diff.summary['removed-check']).toBe(after.checks.length);
  });

  test('a result compared with itself has no changes', () => {
    expect(diffResults(after, after, 'x').changes).toEqual([]);
  });

  test('a new check that fails is a regression, a new check that is reachable but forbidden a new exposure', () => {
    const failing = after.checks.find((c) => c.verdict === 'fail')!;
    const exposed = after.checks.find((c) => c.verdict === 'exposed')!;
    const without = { ...before, checks: before.checks.filter((c) => c.id !== failing.id && c.id !== exposed.id) };
    const kinds = Object.fromEntries(diffResults(without, after, 'b').changes.map((c) => [c.check, c.kind]));
    expect(kinds[failing.id]).toBe('regression');
    expect(kinds[exposed.id]).toBe('new-exposure');
  });

  test('a check whose address moved is matched by vantage and id, not reported as new and removed', () => {
    const moved = { ...after, checks: after.checks.map((c) => (c.id === 'mail.dns:198.18.3.53:53/tcp' ? { ...c, destination: { ...c.destination, address: '198.18.3.54' } } : c)) };
    const changes = diffResults(after, moved, 'a').changes;
    expect(changes).toEqual([]);
  });

  test('the same check from another vantage is a different check', () => {
    const elsewhere = { ...after, checks: after.checks.map((c) => ({ ...c, source: { role: c.source.role, host: 'mbx02.contoso.local' } })) };
    const d = diffResults(after, elsewhere, 'a');
    expect(d.summary['removed-check']).toBe(after.checks.length);
    expect(d.summary.unchanged).toBe(0);
  });
});
