import type { Probers } from './engine.js';
import { HTTP_DEFAULTS, makeHttpProber } from './http.js';
import { MAIL_ACCESS_DEFAULTS } from './imap-pop3-dialogue.js';
import { makeImapProber } from './imap.js';
import { makeLdapsProber } from './ldaps.js';
import { makePop3Prober } from './pop3.js';
import { makeSmtpProber, SMTP_DEFAULTS } from './smtp.js';
import { makeTlsProber, TLS_DEFAULTS } from './tls.js';

export interface ServiceProberOptions {
  /** Extra trusted roots, PEM (`--ca`). */
  readonly ca?: readonly string[];
  readonly ehloName?: string;
  /** Overrides every per-phase deadline (greeting, each reply, TLS handshake, each HTTP request), ms. */
  readonly phaseTimeoutMs?: number;
  /** Try a TLS 1.1-limited second handshake beside each dialogue with TLS, on its own connection: implicit TLS and after STARTTLS (default on). */
  readonly legacyTls?: boolean;
}

/** The service checkers for the engine's prober record: smtp, tls, http, imap, pop3, ldaps. */
export function serviceProbers(options: ServiceProberOptions = {}): Probers {
  const phase = options.phaseTimeoutMs;
  const timing = phase
    ? { greetingTimeoutMs: phase, replyTimeoutMs: phase, handshakeTimeoutMs: phase, requestTimeoutMs: phase }
    : {};
  const common = { ...timing, ...(options.ca?.length ? { ca: options.ca } : {}), legacyCheck: options.legacyTls ?? true };
  const tls = { ...TLS_DEFAULTS, ...common };
  const mailAccess = { ...MAIL_ACCESS_DEFAULTS, ...common };
  return {
    smtp: makeSmtpProber({ ...SMTP_DEFAULTS, ...common, ...(options.ehloName ? { ehloName: options.ehloName } : {}) }),
    tls: makeTlsProber(tls),
    ldaps: makeLdapsProber(tls),
    http: makeHttpProber({ ...HTTP_DEFAULTS, ...common }),
    imap: makeImapProber(mailAccess),
    pop3: makePop3Prober(mailAccess),
  };
}
