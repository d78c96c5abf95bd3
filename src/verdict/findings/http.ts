import type { Check } from '../../plan/types.js';
import type { HttpFacts, HttpResponseFacts } from '../../probe/http.js';
import type { Finding } from '../types.js';
import { finding, type FindingOptions } from './finding.js';
import { tlsFindings } from './tls.js';

interface Expected {
  readonly status: readonly number[];
  readonly describe: string;
  readonly fits: (response: HttpResponseFacts) => boolean;
}

const authenticate = (response: HttpResponseFacts): string => (response.headers['www-authenticate'] ?? []).join(', ');
const integrated = (response: HttpResponseFacts): boolean => /\b(Negotiate|NTLM)\b/i.test(authenticate(response));

/** How Exchange 2016's virtual directories answer an anonymous GET (EXCHANGE-FACTS section 3). */
const EXPECTED: Readonly<Record<string, Expected>> = {
  '/owa': {
    status: [301, 302],
    describe: 'a redirect to the logon page',
    fits: (r) => /\/owa\//i.test(r.headers.location?.[0] ?? ''),
  },
  '/autodiscover/autodiscover.xml': { status: [401], describe: '401 Negotiate/NTLM', fits: integrated },
  '/EWS/Exchange.asmx': { status: [401], describe: '401 Negotiate/NTLM', fits: integrated },
  '/mapi': { status: [401], describe: '401 Negotiate/NTLM', fits: integrated },
  '/OAB': { status: [401], describe: '401 Negotiate/NTLM', fits: integrated },
  '/rpc/rpcproxy.dll': { status: [401], describe: '401 Negotiate/NTLM', fits: integrated },
  '/Microsoft-Server-ActiveSync': { status: [401], describe: '401 Basic', fits: (r) => /\bBasic\b/i.test(authenticate(r)) },
};

export function answersAsExchange(response: HttpResponseFacts): boolean {
  const expected = EXPECTED[response.path];
  return expected !== undefined && response.status !== undefined && expected.status.includes(response.status) && expected.fits(response);
}

function failedRequests(responses: readonly HttpResponseFacts[]): Finding[] {
  const failed = responses.filter((response) => response.failure);
  if (failed.length === 0) return [];
  const severity = failed.length === responses.length ? 'critical' : 'warning';
  return [finding('http.request-failed', severity, failed.map((r) => `GET ${r.path}: ${r.failure?.message ?? ''}`).join('; '))];
}

/**
 * Port 80: a redirect to https is the good state. A default install answers 403 (IIS requires
 * SSL) until OWA redirection is configured: a missing redirect is info. Content over plain HTTP is the problem.
 */
function port80Findings(facts: HttpFacts): Finding[] {
  const response = facts.responses[0];
  if (!response || response.status === undefined) return [];
  const location = response.headers.location?.[0] ?? '';
  const redirect = response.status >= 300 && response.status < 400;
  if (redirect && /^https:\/\//i.test(location)) return [];
  if (response.status >= 200 && response.status < 300) {
    return [finding('http.no-https-redirect', 'warning', `port 80 serves content over plain HTTP (${response.statusLine ?? response.status}) instead of redirecting to https`)];
  }
  const what = redirect ? `a redirect to ${location || 'nowhere'}` : `${response.statusLine ?? response.status}`;
  const usual = response.status === 403 ? ' (a default install: IIS requires SSL until redirection to /owa is configured)' : '';
  return [finding('http.no-https-redirect', 'info', `port 80 answers ${what}, not a redirect to https${usual}`)];
}

function virtualDirectoryFindings(facts: HttpFacts): Finding[] {
  const answered = facts.responses.filter((response) => response.status !== undefined);
  if (answered.length === 0) return [];
  const exchangeHeaders = facts.feServer !== undefined || facts.owaVersion !== undefined;
  const fitting = answered.filter(answersAsExchange);
  if (!exchangeHeaders && fitting.length === 0) {
    return [finding('http.not-exchange', 'critical', `nothing here answers like Exchange (${answered.map((r) => `${r.path} ${r.status}`).join(', ')})`)];
  }
  const found: Finding[] = [];
  const missing = answered.filter((response) => response.status === 404);
  if (missing.length > 0) found.push(finding('http.vdir-missing', 'warning', `404 for ${missing.map((r) => r.path).join(', ')}`));
  const odd = answered.filter((response) => response.status !== 404 && EXPECTED[response.path] && !answersAsExchange(response));
  if (odd.length > 0) {
    const detail = odd.map((r) => `${r.path} answered ${r.status}${authenticate(r) ? ` (${authenticate(r)})` : ''}, Exchange answers ${EXPECTED[r.path]?.describe}`);
    found.push(finding('http.vdir-unexpected', 'warning', detail.join('; ')));
  }
  return found;
}

export function httpFindings(check: Check, facts: HttpFacts, options: FindingOptions): Finding[] {
  const found: Finding[] = [];
  if (facts.tls) found.push(...tlsFindings(facts.tls, options, `${check.port}`));
  if (facts.tls?.handshake === 'failed') return found;
  found.push(...(facts.scheme === 'http' ? port80Findings(facts) : virtualDirectoryFindings(facts)));
  found.push(...failedRequests(facts.responses));
  return found;
}
