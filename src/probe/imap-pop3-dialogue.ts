import type { Socket } from 'node:net';
import { deadline, failureFacts, ProbeFailure, type Deadline, type DialogueFailure } from './deadline.js';
import { TextSession, type DialogueFacts, type DialogueOptions } from './text-session.js';
import { besideLegacy, legacyDialogue, secondSessionRefused } from './tls-legacy.js';
import { serverName, type ProbeTarget } from './types.js';
import type { TlsFacts } from './tls-facts.js';

export type MailAccessOptions = DialogueOptions;

export const MAIL_ACCESS_DEFAULTS: MailAccessOptions = {
  greetingTimeoutMs: 10000,
  replyTimeoutMs: 10000,
  handshakeTimeoutMs: 5000,
  sessionTimeoutMs: 30000,
  maxLineBytes: 8192,
  maxReplyLines: 200,
  maxSessionBytes: 256 * 1024,
  starttls: true,
  legacyCheck: true,
};

/** Facts common to the IMAP4 and POP3 checkers. */
export interface MailAccessFacts extends DialogueFacts<string> {
  readonly greeting?: string;
  /** The greeting accepts the client (`* OK`, `* PREAUTH`, `+OK`). */
  readonly greetingOk?: boolean;
  /** Upper-case capability names before TLS (over implicit TLS: the only ones). */
  readonly capabilities: readonly string[];
  readonly capabilitiesAfterTls?: readonly string[];
  /** The greeting names Microsoft Exchange. */
  readonly exchange: boolean;
}

/** What differs between IMAP4 and POP3 in the capability dialogue. */
export interface MailAccessProtocol {
  readonly name: string;
  greetingOk(line: string): boolean;
  /** Sends the capability command and reads its answer; null when the command is refused. */
  capabilities(session: MailAccessSession): Promise<string[] | null>;
  readonly starttlsCapability: string;
  /** Sends the STARTTLS command; the reply line and whether the handshake may start. */
  starttls(session: MailAccessSession): Promise<{ reply: string; ok: boolean }>;
  /** Sends LOGOUT (QUIT) and does not wait for the reply: the session is closed next. */
  logout(session: MailAccessSession): void;
}

export class MailAccessSession extends TextSession {
  constructor(
    socket: Socket,
    readonly options: MailAccessOptions,
    signal: AbortSignal,
  ) {
    super(socket, options, signal);
  }

  reply(phase: string): Deadline {
    return deadline(phase, this.options.replyTimeoutMs);
  }

  /** Lines up to and including the one `isLast` accepts, within the line limit. */
  async linesUntil(until: Deadline, isLast: (line: string) => boolean): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line(until);
      lines.push(line);
      if (isLast(line)) return lines;
      if (lines.length >= this.options.maxReplyLines) {
        throw new ProbeFailure('limit', until.phase, `more than ${this.options.maxReplyLines} lines in the ${until.phase}`);
      }
    }
  }
}

const EXCHANGE = /Microsoft Exchange/i;

interface Progress {
  greeting?: string;
  greetingOk?: boolean;
  capabilities: string[];
  capabilitiesAfterTls?: string[];
  starttls: MailAccessFacts['starttls'];
  tls?: TlsFacts;
}

async function converse(
  session: MailAccessSession,
  protocol: MailAccessProtocol,
  implicitTls: boolean,
  hostName: string,
  progress: Progress,
  admitted: () => void,
): Promise<void> {
  const now = session.options.now?.() ?? new Date();
  if (implicitTls) {
    const { facts } = await session.upgrade(hostName, session.options, now);
    progress.tls = facts;
    // Nothing may be sent before the greeting: with the handshake done, a handshake-only session just closes.
    if (facts.handshake !== 'ok' || session.options.handshakeOnly) return;
  }
  progress.greeting = await session.line(deadline('greeting', session.options.greetingTimeoutMs));
  progress.greetingOk = protocol.greetingOk(progress.greeting);
  if (!progress.greetingOk) return;
  admitted();
  progress.capabilities = (await protocol.capabilities(session)) ?? [];
  const offered = !implicitTls && progress.capabilities.includes(protocol.starttlsCapability);
  progress.starttls = { offered, attempted: false };
  if (offered && session.options.starttls) {
    const { reply, ok } = await protocol.starttls(session);
    progress.starttls = { offered, attempted: true, reply };
    if (!ok) return protocol.logout(session);
    const { facts, early } = await session.upgrade(hostName, session.options, now);
    if (early.length > 0) progress.starttls = { ...progress.starttls, earlyBytes: early.toString('latin1') };
    progress.tls = facts;
    if (facts.handshake !== 'ok') return;
    if (session.options.handshakeOnly) return protocol.logout(session);
    progress.capabilitiesAfterTls = (await protocol.capabilities(session)) ?? [];
  }
  protocol.logout(session);
}

/** Greeting, capabilities, STARTTLS and the capabilities after it, logout. Never throws. */
export async function mailAccessDialogue(
  socket: Socket,
  protocol: MailAccessProtocol,
  implicitTls: boolean,
  hostName: string,
  options: MailAccessOptions,
  signal: AbortSignal,
  /** Called once the greeting accepted the client: the session is let in. */
  admitted: () => void = () => undefined,
): Promise<MailAccessFacts> {
  const session = new MailAccessSession(socket, options, signal);
  const progress: Progress = { capabilities: [], starttls: { offered: false, attempted: false } };
  let failure: DialogueFailure | undefined;
  try {
    await converse(session, protocol, implicitTls, hostName, progress, admitted);
  } catch (error) {
    failure = failureFacts(error, 'dialogue');
  } finally {
    await session.close();
  }
  return {
    implicitTls,
    ...progress,
    exchange: EXCHANGE.test(progress.greeting ?? ''),
    dialogue: session.dialogue,
    problems: [...new Set(session.problems)],
    ...(failure ? { failure } : {}),
  };
}

/** Why a session never reached TLS when the service turned it away (for the TLS 1.0/1.1 check's note). */
function refusal(facts: MailAccessFacts): string | undefined {
  return facts.greetingOk === false ? secondSessionRefused(facts.greeting ?? '') : undefined;
}

/** The dialogue and, when asked, beside it the TLS 1.0/1.1 check: the whole dialogue again on its own connection. */
export async function mailAccessFacts(
  socket: Socket,
  protocol: () => MailAccessProtocol,
  target: ProbeTarget,
  options: MailAccessOptions,
  signal: AbortSignal,
): Promise<MailAccessFacts> {
  const { implicitTls } = target.check;
  const name = serverName(target);
  if (!options.legacyCheck || (!implicitTls && !options.starttls)) return mailAccessDialogue(socket, protocol(), implicitTls, name, options, signal);
  const legacy = (own: AbortSignal) =>
    legacyDialogue(target, own, (again, limits, cut) => mailAccessDialogue(again, protocol(), implicitTls, name, { ...options, limits, handshakeOnly: true }, cut), refusal);
  return besideLegacy(signal, legacy, (admitted) => mailAccessDialogue(socket, protocol(), implicitTls, name, options, signal, admitted));
}
