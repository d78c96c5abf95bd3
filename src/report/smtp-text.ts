import type { SmtpFacts } from '../probe/smtp.js';
import type { TlsFacts } from '../probe/tls-facts.js';
import { addressLabel, addressOutcome, type AddressOutcome, type SmtpAddressCheck, type SmtpCheckReport } from './smtp-check.js';
import { ELLIPSIS, sanitize } from './sanitize.js';

/**
 * The most of one server reply a block shows. A real EHLO reply is under 1 KB; a server that
 * answers with 100 lines of 2 KB (200 KB) or without end is shown this much, and how much not.
 */
export const REPLY_MAX_BYTES = 1024;
/** The most of any other line built from what the server sent (extensions, names, findings). */
export const FACT_MAX_BYTES = 512;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const count = (n: number): string => n.toLocaleString('en-US');
const notShown = (n: number): string => `${ELLIPSIS} (${count(n)} more bytes not shown)`;

/** The longest prefix of `text` within `max` UTF-8 bytes, cut between characters. */
function prefix(text: string, max: number): string {
  let used = 0;
  let end = 0;
  for (const ch of text) {
    const size = bytes(ch);
    if (used + size > max) break;
    used += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** Server text on one terminal-safe line of at most about `max` bytes, saying how much was left out. */
export function clipBytes(text: string, max = FACT_MAX_BYTES): string {
  const line = sanitize(text);
  if (bytes(line) <= max) return line;
  const shown = prefix(line, max);
  return `${shown}${notShown(bytes(line) - bytes(shown))}`;
}

/** One server reply (consecutive server lines), at most REPLY_MAX_BYTES of it. */
function replyLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let room = REPLY_MAX_BYTES;
  let cut = 0;
  for (const raw of lines) {
    const text = sanitize(raw);
    if (cut > 0 || room <= 0) {
      cut += bytes(raw) + 2;
      continue;
    }
    if (bytes(text) <= room) {
      out.push(`S: ${text}`);
      room -= bytes(text) + 2;
      continue;
    }
    const shown = prefix(text, room);
    if (shown) out.push(`S: ${shown}`);
    cut += Math.max(0, bytes(raw) - bytes(shown)) + 2;
    room = 0;
  }
  if (cut > 0) out.push(`S: ${notShown(cut)}`);
  return out;
}

/** The dialogue as `C:`/`S:` lines, each server reply bounded. */
function dialogueLines(dialogue: SmtpFacts['dialogue']): string[] {
  const out: string[] = [];
  let reply: string[] = [];
  const flush = (): void => {
    if (reply.length > 0) out.push(...replyLines(reply));
    reply = [];
  };
  for (const line of dialogue) {
    if (line.from === 'server') {
      reply.push(line.text);
      continue;
    }
    flush();
    out.push(`C: ${sanitize(line.text)}`);
  }
  flush();
  return out;
}

const yesNo = (value: boolean | undefined): string => (value === undefined ? 'unknown' : value ? 'yes' : 'no');

function tlsLines(tls: TlsFacts): string[] {
  if (tls.handshake === 'failed') return [`TLS: handshake failed: ${clipBytes(tls.failure?.message ?? '')}`];
  const cert = tls.certificate;
  const lines = [`TLS: ${tls.version ?? '?'} ${tls.cipher ?? '?'}`];
  if (cert) {
    lines.push(
      `  certificate: ${clipBytes(cert.subject)}; issuer ${clipBytes(cert.issuer)}`,
      `  names: ${clipBytes(cert.names.join(', ') || 'none')}`,
      `  valid: ${cert.notBefore} to ${cert.notAfter} (${cert.daysLeft} days left)`,
    );
  }
  if (tls.legacy) {
    const { legacy } = tls;
    lines.push(`  TLS 1.0/1.1: ${legacy.tested ? (legacy.accepted ? `accepted (${legacy.version ?? '?'})` : 'refused') : clipBytes(legacy.note ?? 'not tested')}`);
  }
  lines.push(
    `  trusted: ${yesNo(tls.trusted)}${tls.trustError ? ` (${clipBytes(tls.trustError)})` : ''}; name ${clipBytes(tls.hostName)} matches: ${yesNo(tls.hostNameMatch)}`,
  );
  return lines;
}

function factLines(facts: SmtpFacts): string[] {
  const lines: string[] = [];
  if (facts.ehlo) {
    lines.push(`Extensions: ${clipBytes(Object.keys(facts.ehlo.extensions).join(' ') || 'none')}`);
    lines.push(`AUTH before TLS: ${clipBytes(facts.auth.join(' ') || 'none')}`);
  }
  if (facts.ehloAfterTls) {
    lines.push(`Extensions after TLS: ${clipBytes(Object.keys(facts.ehloAfterTls.extensions).join(' ') || 'none')}`);
    lines.push(`AUTH after TLS: ${clipBytes(facts.authAfterTls?.join(' ') || 'none')}`);
  }
  if (facts.starttls.offered && !facts.starttls.attempted && !facts.tls) lines.push('STARTTLS: offered, not tried (--no-starttls)');
  if (facts.size !== undefined) lines.push(`SIZE: ${facts.size}`);
  if (facts.tls) lines.push(...tlsLines(facts.tls));
  if (facts.exchange.suggests) {
    lines.push(`Exchange: ${facts.exchange.suggests}${facts.exchange.markers.length ? ` (${clipBytes(facts.exchange.markers.join(', '))})` : ''}`);
  }
  return lines;
}

/** One address: its heading, then either why nothing connected or the dialogue, facts and findings. */
function block(check: SmtpAddressCheck): string[] {
  const { observation } = check;
  const lines = [
    `SMTP check of ${addressLabel(check)} port ${check.port}: ${observation.state}${observation.rttMs !== undefined ? ` in ${observation.rttMs} ms` : ''}`,
  ];
  // Nothing was said, so nothing was found: no "Findings: none" here.
  if (observation.state !== 'open') return [...lines, `Could not connect: ${clipBytes(observation.error ?? observation.state)}`];
  const facts = observation.service as SmtpFacts | undefined;
  // Each section after a blank line, and only when it has something to say.
  for (const section of facts ? [dialogueLines(facts.dialogue), factLines(facts)] : []) {
    if (section.length > 0) lines.push('', ...section);
  }
  lines.push('', check.findings.length ? 'Findings:' : 'Findings: none');
  for (const f of check.findings) lines.push(`  ${f.severity.padEnd(8)} ${f.id}: ${clipBytes(f.message)}`);
  return lines;
}

const OUTCOME_WORDS: Readonly<Record<AddressOutcome, string>> = {
  ok: 'clean',
  warning: 'with warnings',
  critical: 'with critical findings',
  unreachable: 'could not connect',
};

/** `mail.contoso.test port 25: 3 addresses: 1 clean, 1 with warnings, 1 could not connect`. */
function summary(report: SmtpCheckReport): string {
  const tally = new Map<AddressOutcome, number>();
  for (const outcome of report.addresses.map(addressOutcome)) tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
  const parts = (['ok', 'warning', 'critical', 'unreachable'] as const).flatMap((o) => (tally.has(o) ? [`${tally.get(o)} ${OUTCOME_WORDS[o]}`] : []));
  return `${report.host} port ${report.port}: ${report.addresses.length} addresses: ${parts.join(', ')}`;
}

/** Every address's block, one after the other, and a summary line when there are several. */
export function formatSmtpCheckText(report: SmtpCheckReport): string {
  if (report.unresolved !== undefined) {
    return `SMTP check of ${report.host} port ${report.port}: unresolved\nCould not resolve: ${clipBytes(report.unresolved)}\n`;
  }
  const blocks = report.addresses.map((check) => block(check).join('\n'));
  if (report.addresses.length > 1) blocks.push(summary(report));
  return `${blocks.join('\n\n')}\n`;
}
