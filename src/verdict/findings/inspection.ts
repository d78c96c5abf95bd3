import type { Role } from '../../model/types.js';
import type { Check } from '../../plan/types.js';
import type { SmtpFacts } from '../../probe/smtp.js';
import { replyTexts, type SmtpReply } from '../../probe/smtp-reply.js';
import type { Finding } from '../types.js';
import { finding } from './finding.js';

/**
 * A firewall that inspects SMTP between here and the server, recognised from one vantage.
 * Cisco ASA's `_default_esmtp_map` (ESMTP inspection, on by default) masks the banner with
 * asterisks, removes the STARTTLS indication and masks EHLO parameters it does not know with
 * X's ("mask-banner", "no allow-tls", "match ehlo-reply-parameter others mask"; Cisco ASA
 * Series Firewall CLI Configuration Guide, "Defaults for ESMTP Inspection"). PIX `fixup smtp`
 * did the same. Seen on the wire: `220 ******...` and `250-XXXXXXXA`.
 */

/** A banner made of asterisks, or one with a long run of them where the text was. */
const MASKED_BANNER = /^\*[*\s]*$|\*{8,}/;
/** A keyword overwritten with X's of its length: `XXXXXXXA`, `XXXB`, `XXXXXXXXXXXXXX`. */
const MASKED_KEYWORD = /^X{3,}[A-Z0-9]?$/;
/** Replies a firewall gives for a verb it strips (the server itself offered STARTTLS). */
const STRIPPED_VERB = new Set([500, 501, 502, 504]);
/**
 * What every Exchange receive connector on 25 offers before TLS: Default Frontend on a Mailbox
 * server, the Default internal Receive connector on an Edge (EXCHANGE-FACTS section 3).
 */
const EXCHANGE_SMTP_KEYWORDS = ['STARTTLS', 'X-ANONYMOUSTLS'];
const EXCHANGE_SERVERS: ReadonlySet<Role> = new Set(['mailbox', 'edge']);

/** Findings smtp.inspected explains: left alone they send the administrator to the Exchange server. */
export const EXPLAINED_BY_INSPECTION: ReadonlySet<string> = new Set(['smtp.not-exchange', 'smtp.no-starttls', 'smtp.starttls-refused']);

function isSmtpPort(check: Check): boolean {
  return check.portName === 'smtp' || (check.portName === undefined && check.port === 25);
}

/** The raw EHLO keywords (before the prober's parsing drops what is not a keyword). */
function ehloKeywords(facts: SmtpFacts): string[] {
  if (!facts.ehlo || facts.ehlo.code !== 250) return [];
  return replyTexts(facts.ehlo as SmtpReply)
    .slice(1)
    .map((text) => text.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** The signs of a rewritten dialogue, in words, in the order the dialogue shows them. */
export function inspectionSigns(check: Check, facts: SmtpFacts): string[] {
  const signs: string[] = [];
  const banner = facts.greeting ? (replyTexts(facts.greeting as SmtpReply)[0] ?? '') : '';
  if (facts.greeting?.code === 220 && MASKED_BANNER.test(banner.trim())) {
    signs.push(`the greeting is masked (${JSON.stringify(`220 ${banner.trim()}`.slice(0, 40))})`);
  }
  const masked = ehloKeywords(facts).filter((keyword) => MASKED_KEYWORD.test(keyword));
  if (masked.length > 0) signs.push(`EHLO keywords are overwritten with X's (${masked.join(', ')})`);
  const { starttls } = facts;
  if (starttls.attempted && starttls.reply && (starttls.reply.code === null || STRIPPED_VERB.has(starttls.reply.code))) {
    signs.push(`STARTTLS is offered but answered ${starttls.reply.code ?? 'with garbage'} (a firewall that strips the verb)`);
  }
  const extensions = facts.ehlo?.code === 250 ? facts.ehlo.extensions : undefined;
  const looksExchange = facts.exchange.banner || facts.exchange.markers.length > 0;
  if (extensions && looksExchange && isSmtpPort(check) && EXCHANGE_SERVERS.has(check.destination.role)) {
    const lost = EXCHANGE_SMTP_KEYWORDS.filter((keyword) => !(keyword in extensions));
    if (lost.length > 0) signs.push(`EHLO lacks ${lost.join(' and ')}, which every Exchange receive connector on 25 offers`);
  }
  return signs;
}

/** Edge <-> Mailbox and Mailbox <-> Mailbox: Exchange authenticates these with X-ANONYMOUSTLS/X-EXPS. */
function betweenExchangeServers(check: Check): boolean {
  return check.expectation === 'required' && EXCHANGE_SERVERS.has(check.source.role) && EXCHANGE_SERVERS.has(check.destination.role);
}

/**
 * `smtp.inspected`: the dialogue was rewritten on the way. On a required flow between Exchange
 * servers the flow cannot work (verdict down); from anywhere else it is critical.
 */
export function inspectionFindings(check: Check, facts: SmtpFacts): Finding[] {
  const signs = inspectionSigns(check, facts);
  if (signs.length === 0) return [];
  const between = betweenExchangeServers(check);
  const breaks = between
    ? 'Exchange-to-Exchange authentication fails ("451 5.7.3 Cannot achieve Exchange Server authentication", EdgeSync event 1004) and mail between the servers queues'
    : 'mail crosses without TLS (STARTTLS removed) and Exchange-to-Exchange authentication through this path fails ("451 5.7.3 Cannot achieve Exchange Server authentication")';
  const message =
    `SMTP/ESMTP inspection on a firewall between ${check.source.role} and ${check.destination.host}:${check.port} rewrites the dialogue: ${signs.join('; ')}. ` +
    `${breaks}. Turn ESMTP inspection off for this flow (Cisco ASA: no inspect esmtp in the policy map) rather than changing Exchange`;
  return [{ ...finding('smtp.inspected', 'critical', message), ...(between ? { breaksFlow: true as const } : {}) }];
}

/** An SMTP check's findings with smtp.inspected added, and the findings it explains taken out. */
export function withInspection(check: Check, facts: SmtpFacts, found: readonly Finding[]): Finding[] {
  const inspected = inspectionFindings(check, facts);
  if (inspected.length === 0) return [...found];
  return [...found.filter((f) => !EXPLAINED_BY_INSPECTION.has(f.id)), ...inspected];
}
