import type { Observation } from '../../src/probe/types.js';
import { smtpExitCode, type SmtpAddressCheck, type SmtpCheckReport } from '../../src/report/smtp-check.js';
import { formatSmtpCheckNagios, smtpNagiosState } from '../../src/report/smtp-nagios.js';
import { clipBytes, formatSmtpCheckText, REPLY_MAX_BYTES } from '../../src/report/smtp-text.js';
import type { Finding } from '../../src/verdict/types.js';

/** Facts as the SMTP checker reports them, cut down to what the formatters read. */
function address(address: string, observation: Partial<Observation>, findings: Finding[] = [], serverLines: string[] = ['220 mail.contoso.test ESMTP']): SmtpAddressCheck {
  const service = {
    kind: 'smtp',
    implicitTls: false,
    banner: serverLines[0],
    auth: [],
    starttls: { offered: false, attempted: false },
    exchange: { banner: false, markers: [], backEnd: [], legacy: [] },
    dialogue: [...serverLines.map((text) => ({ from: 'server', text })), { from: 'client', text: 'QUIT' }],
    problems: [],
    quit: { sent: true },
  };
  return {
    host: 'mail.contoso.test',
    address,
    port: 25,
    elapsedMs: 12.5,
    observation: { state: 'open', address, attempts: 1, ...(observation.state === 'open' || !observation.state ? { service: service as never } : {}), ...observation } as Observation,
    findings,
  };
}

const report = (addresses: SmtpAddressCheck[], extra: Partial<SmtpCheckReport> = {}): SmtpCheckReport => ({
  host: 'mail.contoso.test',
  port: 25,
  addresses,
  certDays: { warn: 30, crit: 14 },
  ...extra,
});

const refused = (a: string) => address(a, { state: 'closed', error: 'connection refused' });
const warning: Finding = { id: 'smtp.no-starttls', severity: 'warning', message: 'STARTTLS is not offered on 25' };
const info: Finding = { id: 'smtp.not-exchange', severity: 'info', message: 'neither the greeting nor EHLO looks like Exchange' };
const cut: Finding = { id: 'smtp.connection-reset', severity: 'critical', message: 'the server reset the connection during the EHLO reply' };

describe('smtp check: exit codes and Nagios states per address outcome', () => {
  test.each([
    ['every address clean (info only)', 0, 0, [address('198.18.0.1', {}, [info]), address('2001:2::1', {})]],
    ['one warning', 1, 1, [address('198.18.0.1', {}, [warning]), address('2001:2::1', {})]],
    ['a dialogue cut after connecting', 1, 2, [address('198.18.0.1', {}, [cut])]],
    ['one address refused, one clean', 1, 2, [address('198.18.0.1', {}), refused('198.18.0.2')]],
    ['every address refused', 3, 2, [refused('198.18.0.1'), refused('198.18.0.2')]],
    ['no address at all', 3, 3, []],
  ] as const)('%s: exit %d, Nagios %d', (_, exit, nagios, addresses) => {
    expect(smtpExitCode(report([...addresses]))).toBe(exit);
    expect(smtpNagiosState(report([...addresses]))).toBe(nagios);
  });

  test('a name that did not resolve: exit 3, UNKNOWN with the reason', () => {
    const unresolved = report([], { unresolved: 'mail.contoso.test A: NXDOMAIN' });
    expect(smtpExitCode(unresolved)).toBe(3);
    expect(formatSmtpCheckNagios(unresolved)).toBe('SMTP UNKNOWN - mail.contoso.test: the name did not resolve (mail.contoso.test A: NXDOMAIN)\n');
    expect(formatSmtpCheckText(unresolved)).toBe('SMTP check of mail.contoso.test port 25: unresolved\nCould not resolve: mail.contoso.test A: NXDOMAIN\n');
  });
});

describe('smtp check text: server text is bounded', () => {
  test('clipBytes cuts between characters, never inside one, and says how many bytes are left out', () => {
    const text = 'é'.repeat(600); // 1,200 bytes
    const clipped = clipBytes(text, 511);
    expect(clipped).toBe(`${'é'.repeat(255)}... (690 more bytes not shown)`);
    expect(clipBytes('short')).toBe('short');
  });

  test('one reply is shown up to REPLY_MAX_BYTES, then the rest is counted, not printed', () => {
    const lines = ['220-greeting', ...Array.from({ length: 99 }, (_, i) => `220-${String(i).padStart(2, '0')}${'x'.repeat(194)}`), '220 end'];
    const text = formatSmtpCheckText(report([address('198.18.0.1', {}, [], lines)]));
    const shown = text.split('\n').filter((line) => line.startsWith('S: ') && !line.startsWith('S: ...'));
    expect(shown.join('\n').length).toBeLessThanOrEqual(REPLY_MAX_BYTES + 3 * shown.length);
    const sent = lines.reduce((sum, line) => sum + line.length + 2, 0);
    const shownBytes = shown.reduce((sum, line) => sum + line.length - 3 + 2, 0);
    const left = Number(/S: \.\.\. \(([\d,]+) more bytes not shown\)/.exec(text)?.[1]?.replace(/,/g, ''));
    // Every byte sent is either shown or counted (the cut line's CRLF counted once).
    expect(left + shownBytes).toBeGreaterThanOrEqual(sent - 2);
    expect(left + shownBytes).toBeLessThanOrEqual(sent + 2);
    expect(text).toContain('\nC: QUIT\n');
  });

  test('an address that could not be connected to has no findings line', () => {
    expect(formatSmtpCheckText(report([refused('198.18.0.2')]))).toBe('SMTP check of mail.contoso.test (198.18.0.2) port 25: closed\nCould not connect: connection refused\n');
  });
});
