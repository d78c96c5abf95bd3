import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { CommandModule } from 'yargs';
import type { Check } from '../../plan/types.js';
import { makeSmtpProber, SMTP_DEFAULTS } from '../../probe/smtp.js';
import { formatSmtpCheckJson, formatSmtpCheckText, type SmtpCheckReport } from '../../report/smtp-check.js';
import { FINDING_DEFAULTS, serviceFindings } from '../../verdict/findings/index.js';
import { readCaFiles } from '../ca.js';
import { parseHostPort } from '../host-port.js';
import { MAX_WAIT_MS, whole } from '../numbers.js';
import { certThresholds, ehloName } from '../service-options.js';
import { trapSignals } from '../signals.js';

interface Args {
  target: string;
  starttls: boolean;
  ehlo?: string;
  timeout: number;
  format: 'text' | 'json';
  ca: string[];
  'cert-warn-days': number;
  'cert-crit-days': number;
}

/** The one check the command runs, shaped like a planned one so the same findings apply. */
function smtpCheck(host: string, port: number): Check {
  const portName = port === 25 ? 'smtp' : port === 587 ? 'submission' : undefined;
  return {
    id: `smtp:${host}:${port}/tcp`,
    flow: 'smtp',
    flows: ['smtp'],
    table: 'mail-flow',
    source: { role: 'client' },
    destination: { role: 'mailbox', host, lookup: isIP(host) ? 'address' : 'name' },
    port,
    transport: 'tcp',
    expectation: 'required',
    probe: 'smtp',
    implicitTls: false,
    ...(portName ? { portName } : {}),
    purpose: 'one SMTP banner check from the command line',
    component: 'SMTP receive connector',
    needsListener: true,
    why: 'asked for on the command line',
  };
}

async function resolve(host: string): Promise<string | undefined> {
  if (isIP(host)) return host;
  try {
    return (await lookup(host)).address;
  } catch {
    return undefined;
  }
}

export const smtpCommand: CommandModule<object, Args> = {
  command: 'smtp <target>',
  describe: 'One SMTP banner check: greeting, EHLO, STARTTLS, QUIT (never MAIL, RCPT, DATA or credentials)',
  builder: (y) =>
    y
      .positional('target', { type: 'string', describe: 'HOST[:PORT] (port 25 by default; IPv6 as [::1]:25)' })
      .option('starttls', { type: 'boolean', default: false, describe: 'issue STARTTLS when offered, check the certificate, EHLO again' })
      .option('ehlo', { type: 'string', describe: "the name to EHLO with (default: this machine's full name, else its host name)" })
      .option('timeout', { type: 'number', default: 10000, describe: 'ms for the connect and for each reply and the TLS handshake' })
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
      .option('ca', { type: 'string', array: true, default: [] as string[], describe: 'PEM file of extra trusted roots (repeatable)' })
      .option('cert-warn-days', { type: 'number', default: FINDING_DEFAULTS.certWarnDays, describe: 'a certificate with fewer days left is a warning' })
      .option('cert-crit-days', { type: 'number', default: FINDING_DEFAULTS.certCritDays, describe: '... and with fewer days left, critical' }) as never,
  handler: async (args) => {
    const { host, port } = parseHostPort(args.target, 25);
    const timeout = whole('timeout', args.timeout, 1, MAX_WAIT_MS);
    const { certWarnDays, certCritDays } = certThresholds(args);
    const ehlo = ehloName(args.ehlo);
    const ca = await readCaFiles(args.ca);
    const address = await resolve(host);
    if (!address) {
      process.stderr.write(`exchange-ports: ${host}: the name did not resolve\n`);
      process.exitCode = 3;
      return;
    }
    const prober = makeSmtpProber({
      ...SMTP_DEFAULTS,
      starttls: args.starttls,
      ...ehlo,
      greetingTimeoutMs: timeout,
      replyTimeoutMs: timeout,
      handshakeTimeoutMs: timeout,
      sessionTimeoutMs: timeout * 6,
      ca,
    });
    const check = smtpCheck(host, port);
    const trap = trapSignals();
    try {
      const observation = await prober({ check, address, port, transport: 'tcp', timeoutMs: timeout }, trap.signal);
      const findings = serviceFindings(check, observation, { certWarnDays, certCritDays, now: new Date() });
      const report: SmtpCheckReport = { host, address, port, observation, findings };
      process.stdout.write(args.format === 'json' ? formatSmtpCheckJson(report) : formatSmtpCheckText(report));
      const serious = findings.some((f) => f.severity !== 'info');
      process.exitCode = trap.exitCode() ?? (observation.state !== 'open' ? 3 : serious ? 1 : 0);
    } finally {
      trap.dispose();
    }
  },
};
