import type { Check } from '../../plan/types.js';
import type { SmtpFacts } from '../../probe/smtp.js';
import type { CertificateFacts } from '../../probe/tls-facts.js';
import type { Finding } from '../types.js';
import { failureFinding, finding, type FindingOptions } from './finding.js';
import { tlsFindings } from './tls.js';

const BASIC = ['LOGIN', 'PLAIN'];
/** Keywords only Exchange's back-end transport listeners offer (XEXCH50 is offered by 2010 front ends too). */
const BACK_END_ONLY = new Set(['XSHADOWREQUEST', 'XPROXY', 'XPROXYFROM', 'XSESSIONPARAMS', 'XADRBAC', 'XSYSPROBE']);

function isSubmission(check: Check): boolean {
  return check.portName === 'submission' || (check.portName === undefined && check.port === 587);
}

function isInbound(check: Check): boolean {
  return check.portName === 'smtp' || (check.portName === undefined && check.port === 25);
}

/** RFC 6125 in short: exact, or a left-most `*` standing for one label. */
function certificateNames(cert: CertificateFacts): string[] {
  const dns = cert.names.filter((name) => name.startsWith('DNS:')).map((name) => name.slice(4).toLowerCase());
  if (dns.length > 0) return dns;
  const cn = /(?:^|, )CN=([^,]+)/.exec(cert.subject)?.[1];
  return cn ? [cn.toLowerCase()] : [];
}

export function nameCovered(host: string, cert: CertificateFacts): boolean {
  const wanted = host.toLowerCase().replace(/\.$/, '');
  return certificateNames(cert).some((name) => {
    if (name === wanted) return true;
    if (!name.startsWith('*.')) return false;
    const dot = wanted.indexOf('.');
    return dot > 0 && wanted.slice(dot + 1) === name.slice(2);
  });
}

function greetingFindings(facts: SmtpFacts): Finding[] {
  const code = facts.greeting?.code;
  if (code === undefined || code === 220) return [];
  const text = facts.greeting?.lines.join(' ') ?? '';
  if (code === 421) return [finding('smtp.greeting-unavailable', 'critical', `the server greets with 421 (service not available): ${text}`)];
  if (code === 554) return [finding('smtp.greeting-refused', 'critical', `the server greets with 554 (no SMTP service here): ${text}`)];
  return [finding('smtp.greeting-unexpected', 'critical', `the greeting is ${code ?? 'not an SMTP reply'}, not 220: ${text}`)];
}

function authFindings(check: Check, facts: SmtpFacts): Finding[] {
  const found: Finding[] = [];
  const basic = facts.auth.filter((mechanism) => BASIC.includes(mechanism));
  if (basic.length > 0 && !facts.implicitTls) {
    found.push(
      finding(
        'smtp.basic-auth-before-tls',
        isSubmission(check) ? 'critical' : 'warning',
        `AUTH ${basic.join(' ')} is offered before STARTTLS on ${check.port}: passwords can cross the network in clear text`,
      ),
    );
  }
  if (isInbound(check) && facts.auth.length > 0) {
    found.push(
      finding(
        'smtp.auth-on-25',
        basic.length > 0 ? 'warning' : 'info',
        `AUTH ${facts.auth.join(' ')} is offered to anonymous clients on ${check.port}`,
      ),
    );
  }
  return found;
}

function exchangeFindings(check: Check, facts: SmtpFacts): Finding[] {
  const found: Finding[] = [];
  const { exchange } = facts;
  if (exchange.legacy.length > 0) {
    found.push(finding('smtp.legacy-exchange', 'warning', `EHLO offers ${exchange.legacy.join(', ')}: ${exchange.suggests ?? 'an old Exchange listener'}`));
  }
  const backEnd = exchange.backEnd.filter((keyword) => BACK_END_ONLY.has(keyword));
  const forbidden = check.expectation === 'forbidden';
  const backEndSeen = backEnd.length > 0 || exchange.mailboxTransport === true;
  if ((backEndSeen && (forbidden || isInbound(check) || isSubmission(check))) || (forbidden && exchange.backEnd.length > 0)) {
    const evidence = [
      ...(exchange.backEnd.length > 0 ? [`EHLO offers ${exchange.backEnd.join(', ')}`] : []),
      ...(exchange.mailboxTransport ? ['the upper-case Mailbox Transport greeting'] : []),
    ];
    found.push(
      finding('smtp.backend-listener', 'critical', `an Exchange back-end transport listener (${evidence.join('; ')}) answers on ${check.port} from ${check.source.role}`),
    );
  }
  if (exchange.iisSmtp && exchange.markers.length === 0) {
    found.push(
      finding(
        'smtp.iis-smtp',
        'warning',
        `the Windows IIS SMTP service ${exchange.iisSmtp.version} answers on ${check.port}, not Exchange: a relay in front of Exchange, or the wrong server`,
      ),
    );
  } else if (!exchange.banner && exchange.markers.length === 0 && facts.ehlo?.code === 250) {
    found.push(finding('smtp.not-exchange', 'info', 'neither the greeting nor EHLO looks like Exchange'));
  }
  return found;
}

function starttlsFindings(check: Check, facts: SmtpFacts, options: FindingOptions): Finding[] {
  const found: Finding[] = [];
  const { starttls } = facts;
  if (facts.ehlo?.code === 250 && !starttls.offered && !facts.implicitTls) {
    found.push(finding('smtp.no-starttls', isSubmission(check) ? 'critical' : 'warning', `STARTTLS is not offered on ${check.port}`));
  }
  if (starttls.attempted && starttls.reply?.code !== 220) {
    found.push(finding('smtp.starttls-refused', 'warning', `STARTTLS is offered but answered ${starttls.reply?.code ?? 'nothing'}: ${starttls.reply?.lines.join(' ') ?? ''}`));
  }
  if (starttls.earlyBytes !== undefined) {
    found.push(finding('smtp.starttls-injection', 'warning', 'the server sent data after its STARTTLS 220 and before the TLS handshake'));
  }
  const tls = facts.tls;
  if (!tls) return found;
  const where = facts.implicitTls ? `${check.port}` : `STARTTLS on ${check.port}`;
  if (tls.handshake === 'failed' && facts.implicitTls) {
    found.push(...tlsFindings(tls, options, where));
    return found;
  }
  if (tls.handshake === 'failed') {
    found.push(finding('smtp.starttls-failed', 'critical', `STARTTLS was offered and accepted, but the TLS handshake failed: ${tls.failure?.message ?? 'unknown'}`));
    return found;
  }
  found.push(...tlsFindings(tls, options, where));
  if (facts.bannerHost && tls.certificate && !nameCovered(facts.bannerHost, tls.certificate)) {
    found.push(finding('smtp.banner-name-mismatch', 'warning', `the banner names ${facts.bannerHost}, the certificate does not (${tls.certificate.names.join(', ') || tls.certificate.subject})`));
  }
  if (facts.ehloAfterTls && 'STARTTLS' in facts.ehloAfterTls.extensions) {
    found.push(finding('smtp.starttls-after-tls', 'info', 'STARTTLS is offered again inside TLS'));
  }
  return found;
}

/** Findings for one SMTP check: what an Exchange administrator should know about the listener. */
export function smtpFindings(check: Check, facts: SmtpFacts, options: FindingOptions): Finding[] {
  const found: Finding[] = [...greetingFindings(facts)];
  if (facts.ehlo && facts.ehlo.code !== 250) {
    found.push(finding('smtp.ehlo-rejected', 'warning', `${facts.ehlo.command} was answered ${facts.ehlo.code ?? 'with garbage'}`));
  } else if (facts.ehlo?.command === 'HELO') {
    found.push(finding('smtp.no-ehlo', 'info', 'EHLO is refused; only HELO works (no extensions, no STARTTLS)'));
  }
  if (facts.ehlo) found.push(...authFindings(check, facts), ...exchangeFindings(check, facts));
  found.push(...starttlsFindings(check, facts, options));
  if (facts.problems.some((problem) => problem.startsWith('invalid UTF-8'))) {
    found.push(finding('smtp.invalid-utf8', 'info', 'the server sent text that is not UTF-8'));
  }
  if (facts.failure) found.push(failureFinding('smtp', facts.failure));
  return found;
}
