import { hostname } from 'node:os';
import type { Socket } from 'node:net';
import { deadline, failureFacts, ProbeFailure, type DialogueFailure } from './deadline.js';
import { announcedHost, authMechanisms, parseExtensions, sizeLimit, type SmtpExtensions } from './smtp-ehlo.js';
import { exchangeFingerprint, type ExchangeFingerprint } from './smtp-exchange.js';
import { ReplyAssembler, type ReplyLimits, type SmtpReply } from './smtp-reply.js';
import { runService } from './service-run.js';
import { TextSession, type DialogueFacts, type DialogueOptions } from './text-session.js';
import { besideLegacy, legacyDialogue, secondSessionRefused } from './tls-legacy.js';
import type { TlsFacts } from './tls-facts.js';
import { serverName, type Prober, type ServiceFacts } from './types.js';

export interface SmtpProberOptions extends DialogueOptions, ReplyLimits {
  readonly ehloName: string;
}

export const SMTP_DEFAULTS: SmtpProberOptions = {
  ehloName: hostname(),
  starttls: true,
  legacyCheck: true,
  greetingTimeoutMs: 10000,
  replyTimeoutMs: 10000,
  handshakeTimeoutMs: 5000,
  sessionTimeoutMs: 30000,
  maxLineBytes: 2048,
  maxReplyLines: 100,
  maxSessionBytes: 256 * 1024,
};

export interface SmtpReplyFacts {
  readonly code: number | null;
  readonly lines: readonly string[];
  readonly problem?: string;
}

export interface SmtpEhloFacts extends SmtpReplyFacts {
  readonly command: 'EHLO' | 'HELO';
  readonly extensions: SmtpExtensions;
}

export interface SmtpFacts extends DialogueFacts<SmtpReplyFacts>, ServiceFacts {
  readonly kind: 'smtp';
  readonly greeting?: SmtpReplyFacts;
  /** The greeting's first line, as sent (what reports show beside the verdict). */
  readonly banner?: string;
  /** The first word of the greeting, when it is a host name. */
  readonly bannerHost?: string;
  readonly ehlo?: SmtpEhloFacts;
  readonly ehloAfterTls?: SmtpEhloFacts;
  readonly size?: number;
  readonly sizeAfterTls?: number;
  readonly auth: readonly string[];
  readonly authAfterTls?: readonly string[];
  readonly exchange: ExchangeFingerprint;
  /** QUIT is sent and not waited for: `code` is never filled (kept for readers of older results). */
  readonly quit: { readonly sent: boolean; readonly code?: number | null };
}

/** One SMTP session as the checker runs it: mutable while it runs, turned into facts by `smtpFacts`. */
class SmtpSession extends TextSession {
  greeting?: SmtpReplyFacts;
  ehlo?: SmtpEhloFacts;
  ehloAfterTls?: SmtpEhloFacts;
  starttls: SmtpFacts['starttls'] = { offered: false, attempted: false };
  tls?: TlsFacts;
  quit: SmtpFacts['quit'] = { sent: false };
  failure?: DialogueFailure;

  constructor(
    socket: Socket,
    private readonly options: SessionOptions,
    signal: AbortSignal,
  ) {
    super(socket, options, signal);
  }

  async reply(phase: string, ms: number): Promise<SmtpReply> {
    const until = deadline(phase, ms);
    const assembler = new ReplyAssembler(this.options.maxReplyLines);
    for (;;) {
      const reply = assembler.push(await this.rawLine(until));
      if (!reply) continue;
      for (const text of reply.lines) this.record('server', text);
      if (reply.invalidUtf8) this.problems.push(`invalid UTF-8 in the ${phase}`);
      if (reply.problem) {
        this.problems.push(`${phase}: ${reply.problem}`);
        throw new ProbeFailure('malformed', phase, `malformed ${phase}: ${reply.problem}`);
      }
      return reply;
    }
  }

  async command(command: string, phase: string): Promise<SmtpReply> {
    this.send(command);
    const reply = await this.reply(phase, this.options.replyTimeoutMs);
    if (reply.code === 421) throw new ProbeFailure('closed', phase, `the server closed the session with 421 during the ${phase}`);
    return reply;
  }

  async hello(phase: string): Promise<SmtpEhloFacts> {
    const name = this.options.ehloName;
    let command: 'EHLO' | 'HELO' = 'EHLO';
    let reply = await this.command(`EHLO ${name}`, `${phase} reply`);
    if (reply.code === 500 || reply.code === 502) {
      command = 'HELO';
      reply = await this.command(`HELO ${name}`, `HELO reply`);
    }
    return { command, ...replyFacts(reply), extensions: reply.code === 250 && command === 'EHLO' ? parseExtensions(reply) : {} };
  }

  /** STARTTLS, the handshake, and the second EHLO. False when the session cannot go on. */
  async startTls(): Promise<boolean> {
    const reply = await this.command('STARTTLS', 'STARTTLS reply');
    this.starttls = { offered: true, attempted: true, reply: replyFacts(reply) };
    if (reply.code !== 220) return true;
    const { facts, early } = await this.upgrade(this.options.hostName, this.options, this.options.now?.() ?? new Date());
    if (early.length > 0) this.starttls = { ...this.starttls, earlyBytes: early.toString('latin1') };
    this.tls = facts;
    if (facts.handshake !== 'ok') return false;
    if (this.options.handshakeOnly) return true;
    this.ehloAfterTls = await this.hello('EHLO after TLS');
    return true;
  }

  /** Polite end: QUIT, sent and not waited for (the facts never depend on its reply); `close` then ends the socket. */
  end(): void {
    if (!this.writable || this.quit.sent) return;
    this.send('QUIT');
    this.quit = { sent: true };
  }
}

function replyFacts(reply: SmtpReply): SmtpReplyFacts {
  return { code: reply.code, lines: reply.lines, ...(reply.problem ? { problem: reply.problem } : {}) };
}

/** Where the dialogue runs: the name to present and match, and whether TLS comes first. */
export interface SmtpWhere {
  readonly hostName: string;
  /** TLS from the first byte (an SMTPS-style listener): no STARTTLS then. */
  readonly implicitTls: boolean;
  /** Called once the service greeted with 220: the session is let in. */
  readonly admitted?: () => void;
}

type SessionOptions = SmtpProberOptions & SmtpWhere;

async function converse(session: SmtpSession, options: SessionOptions): Promise<void> {
  if (options.implicitTls) {
    session.tls = (await session.upgrade(options.hostName, options, options.now?.() ?? new Date())).facts;
    // Nothing may be sent before the greeting: with the handshake done, a handshake-only session just closes.
    if (session.tls.handshake !== 'ok' || options.handshakeOnly) return;
  }
  const greeting = await session.reply('greeting', options.greetingTimeoutMs);
  session.greeting = replyFacts(greeting);
  if (greeting.code === 421) return;
  if (greeting.code !== 220) return session.end();
  options.admitted?.();
  session.ehlo = await session.hello('EHLO');
  const offered = 'STARTTLS' in session.ehlo.extensions;
  session.starttls = { offered, attempted: false };
  if (offered && options.starttls && !options.implicitTls) {
    const goOn = await session.startTls();
    if (!goOn) return;
  }
  session.end();
}

/** Runs the SMTP dialogue on a connected socket and returns its facts; never throws. */
export async function smtpDialogue(
  socket: Socket,
  where: SmtpWhere,
  options: SmtpProberOptions,
  signal: AbortSignal,
): Promise<SmtpFacts> {
  const sessionOptions: SessionOptions = { ...options, ...where };
  const session = new SmtpSession(socket, sessionOptions, signal);
  try {
    await converse(session, sessionOptions);
  } catch (error) {
    session.failure = failureFacts(error, 'dialogue');
    session.end();
  } finally {
    await session.close();
  }
  return smtpFacts(session, where.implicitTls);
}

function smtpFacts(session: SmtpSession, implicitTls: boolean): SmtpFacts {
  const { greeting, ehlo, ehloAfterTls } = session;
  const bannerHost = greeting ? announcedHost(greeting as SmtpReply) : undefined;
  const size = ehlo ? sizeLimit(ehlo.extensions) : undefined;
  const sizeAfterTls = ehloAfterTls ? sizeLimit(ehloAfterTls.extensions) : undefined;
  return {
    kind: 'smtp',
    implicitTls,
    ...(greeting ? { greeting } : {}),
    ...(greeting?.lines[0] !== undefined ? { banner: greeting.lines[0] } : {}),
    ...(bannerHost ? { bannerHost } : {}),
    ...(ehlo ? { ehlo } : {}),
    ...(ehloAfterTls ? { ehloAfterTls } : {}),
    ...(size !== undefined ? { size } : {}),
    ...(sizeAfterTls !== undefined ? { sizeAfterTls } : {}),
    auth: ehlo ? authMechanisms(ehlo.extensions) : [],
    ...(ehloAfterTls ? { authAfterTls: authMechanisms(ehloAfterTls.extensions) } : {}),
    starttls: session.starttls,
    ...(session.tls ? { tls: session.tls } : {}),
    exchange: exchangeFingerprint(greeting?.lines ?? [], ehlo?.extensions ?? {}, ehloAfterTls?.extensions ?? {}),
    dialogue: session.dialogue,
    problems: [...new Set(session.problems)],
    quit: session.quit,
    ...(session.failure ? { failure: session.failure } : {}),
  };
}

/** Why a session never reached TLS when the service turned it away (for the TLS 1.0/1.1 check's note). */
function refusal(facts: SmtpFacts): string | undefined {
  const code = facts.greeting?.code;
  if (code === undefined || code === 220) return undefined;
  return secondSessionRefused(facts.banner ?? String(code));
}

export function makeSmtpProber(options: SmtpProberOptions = SMTP_DEFAULTS): Prober {
  return (target, signal) =>
    runService(target, signal, options.sessionTimeoutMs, async (socket, session) => {
      const where = { hostName: serverName(target), implicitTls: target.check.implicitTls };
      if (!options.legacyCheck || (!options.starttls && !where.implicitTls)) return smtpDialogue(socket, where, options, session);
      const legacy = (own: AbortSignal) =>
        legacyDialogue(target, own, (again, limits, cut) => smtpDialogue(again, where, { ...options, limits, handshakeOnly: true }, cut), refusal);
      return besideLegacy(session, legacy, (admitted) => smtpDialogue(socket, { ...where, admitted }, options, session));
    });
}
