import { isIP } from 'node:net';
import pLimit from 'p-limit';
import type { CommandModule } from 'yargs';
import type { Check } from '../../plan/types.js';
import { parseDnsServer, type DnsServer } from '../../probe/dns-query.js';
import { createResolver, type IpChoice } from '../../probe/resolve.js';
import { makeSmtpProber, SMTP_DEFAULTS } from '../../probe/smtp.js';
import { formatSmtpCheckJson, smtpExitCode, type SmtpAddressCheck, type SmtpCheckReport } from '../../report/smtp-check.js';
import { formatSmtpCheckNagios, smtpNagiosState } from '../../report/smtp-nagios.js';
import { formatSmtpCheckText } from '../../report/smtp-text.js';
import { FINDING_DEFAULTS, serviceFindings } from '../../verdict/findings/index.js';
import { readCaFiles } from '../ca.js';
import { UsageError } from '../errors.js';
import { parseHostPort } from '../host-port.js';
import { MAX_WAIT_MS, whole } from '../numbers.js';
import { certThresholds, ehloName } from '../service-options.js';
import { trapSignals } from '../signals.js';

type SmtpFormat = 'text' | 'json' | 'nagios';

interface Args {
  target: string;
  starttls: boolean;
  'legacy-tls': boolean;
  ehlo?: string;
  timeout: number;
  format: SmtpFormat;
  ca: string[];
  dns: string[];
  ip: IpChoice;
  'cert-warn-days': number;
  'cert-crit-days': number;
}

/** Addresses checked at once: a name with many records is still checked in a few rounds, not all at once. */
const PARALLEL_ADDRESSES = 8;
/** The first wait for a DNS server's answer: --timeout, but a silent server must not stall the check for minutes. */
const DNS_WAIT_MS = 2000;

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

/** `--dns`: each an address, `address:port` or `[v6]:port`. */
function dnsServers(values: readonly string[]): DnsServer[] {
  return values.map((value) => {
    const server = parseDnsServer(String(value));
    if (!server) throw new UsageError(`--dns: "${value}" is not an IP address, ADDRESS:PORT or [IPv6]:PORT`);
    return server;
  });
}

/** An option that takes one value (yargs makes a repeated one an array). */
function once<T>(name: string, value: T | readonly T[]): T {
  if (Array.isArray(value)) throw new UsageError(`--${name}: give it once (got ${value.length} values)`);
  return value as T;
}

const FORMATTERS: Readonly<Record<SmtpFormat, (report: SmtpCheckReport) => string>> = {
  text: formatSmtpCheckText,
  json: formatSmtpCheckJson,
  nagios: formatSmtpCheckNagios,
};

export const smtpCommand: CommandModule<object, Args> = {
  command: 'smtp <target>',
  describe:
    'One SMTP check at every address HOST resolves to: greeting, EHLO, STARTTLS and the certificate, QUIT (never MAIL, RCPT, DATA or credentials)',
  builder: (y) =>
    y
      .positional('target', { type: 'string', describe: 'HOST[:PORT] (port 25 by default; IPv6 as [::1]:25); a name is checked at each of its addresses' })
      .option('starttls', { type: 'boolean', default: true, describe: 'upgrade with STARTTLS when offered, check the certificate, EHLO again (--no-starttls: stay in clear text)' })
      .option('legacy-tls', { type: 'boolean', default: true, describe: 'after STARTTLS worked, also try a TLS 1.0/1.1 handshake (--no-legacy-tls)' })
      .option('ehlo', { type: 'string', requiresArg: true, describe: "the name to EHLO with (default: this machine's full name, else its host name)" })
      .option('timeout', { type: 'number', requiresArg: true, default: 10000, describe: 'ms for the connect and for each reply and the TLS handshake' })
      .option('format', { choices: ['text', 'json', 'nagios'] as const, requiresArg: true, default: 'text' as const, describe: 'nagios: a check_smtp-style status line with perfdata, one line per address' })
      .option('dns', { type: 'string', array: true, requiresArg: true, default: [] as string[], describe: 'DNS server (ADDRESS, ADDRESS:PORT or [IPv6]:PORT) to resolve HOST with instead of the system resolver (repeatable)' })
      .option('ip', { type: 'string', choices: ['4', '6', 'both'] as const, requiresArg: true, default: 'both' as const, describe: 'address families of HOST to check (A, AAAA or both)' })
      .option('ca', { type: 'string', array: true, default: [] as string[], describe: 'PEM file of extra trusted roots (repeatable)' })
      .option('cert-warn-days', { type: 'number', requiresArg: true, default: FINDING_DEFAULTS.certWarnDays, describe: 'a certificate with fewer days left is a warning' })
      .option('cert-crit-days', { type: 'number', requiresArg: true, default: FINDING_DEFAULTS.certCritDays, describe: '... and with fewer days left, critical' })
      .coerce('ip', (value: unknown) => String(value))
      .epilog(
        'Exit codes: 0 every address clean; 1 a finding, a dialogue cut after connecting (reset, timeout), or one address unreachable while another answered; ' +
          '2 usage error; 3 nothing could be connected to, or the name did not resolve. ' +
          'With --format nagios: 0 OK, 1 WARNING, 2 CRITICAL (refused, timeout, critical finding), 3 UNKNOWN (unresolved, usage error).',
      ) as never,
  handler: async (args) => {
    const format = once('format', args.format);
    const ip = once('ip', args.ip);
    const { host, port } = parseHostPort(args.target, 25);
    const timeout = whole('timeout', args.timeout, 1, MAX_WAIT_MS);
    const { certWarnDays, certCritDays } = certThresholds(args);
    const ehlo = ehloName(args.ehlo);
    const servers = dnsServers(args.dns ?? []);
    const ca = await readCaFiles(args.ca);
    const prober = makeSmtpProber({
      ...SMTP_DEFAULTS,
      starttls: args.starttls,
      legacyCheck: args['legacy-tls'],
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
      const waitMs = Math.min(timeout, DNS_WAIT_MS);
      const resolver = createResolver({ servers, ip, timeoutMs: waitMs, maxTimeoutMs: waitMs, signal: trap.signal });
      const resolution = await resolver.resolve(check.destination).catch(() => ({ error: 'cancelled' }));
      const base = { host, port, certDays: { warn: certWarnDays, crit: certCritDays } };
      let report: SmtpCheckReport;
      if ('error' in resolution) report = { ...base, unresolved: resolution.error, addresses: [] };
      else {
        const limit = pLimit(PARALLEL_ADDRESSES);
        const addresses = await Promise.all(
          resolution.addresses.map((address) =>
            limit(async (): Promise<SmtpAddressCheck> => {
              const started = performance.now();
              const observation = await prober({ check, address, port, transport: 'tcp', timeoutMs: timeout }, trap.signal);
              const elapsedMs = Math.round((performance.now() - started) * 1000) / 1000;
              const findings = serviceFindings(check, observation, { certWarnDays, certCritDays, now: new Date() });
              return { host, address, port, elapsedMs, observation, findings };
            }),
          ),
        );
        report = { ...base, addresses };
      }
      process.stdout.write(FORMATTERS[format](report));
      process.exitCode = trap.exitCode() ?? (format === 'nagios' ? smtpNagiosState(report) : smtpExitCode(report));
    } finally {
      trap.dispose();
    }
  },
};
