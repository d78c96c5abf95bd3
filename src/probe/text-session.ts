import type { Socket } from 'node:net';
import type { Deadline, DialogueFailure } from './deadline.js';
import { decodeText, LineReader, type LineLimits } from './lines.js';
import { handshakeFacts, type TlsClientOptions } from './tls-handshake.js';
import type { TlsFacts } from './tls-facts.js';

/** One line of the dialogue, raw: `client` lines are what the checker sent. */
export interface DialogueLine {
  readonly from: 'client' | 'server';
  readonly text: string;
}

/** A dialogue's own deadlines and TLS behaviour, shared by the SMTP, IMAP4 and POP3 checkers. */
export interface DialogueOptions extends TlsClientOptions, LineLimits {
  /** Most lines in one reply or response (an endless banner or CAPABILITY ends here). */
  readonly maxReplyLines: number;
  readonly greetingTimeoutMs: number;
  readonly replyTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  /** Upgrade with STARTTLS (STLS) when offered, and ask again inside TLS. */
  readonly starttls: boolean;
  /** Beside the dialogue, the dialogue once more with a handshake that offers at most TLS 1.1. */
  readonly legacyCheck: boolean;
  /** End the session right after the TLS handshake (the TLS 1.0/1.1 check needs nothing more). */
  readonly handshakeOnly?: boolean;
  /** The clock for certificate days left. */
  readonly now?: () => Date;
}

/** What happened to STARTTLS (STLS) in a dialogue; `Reply` is the protocol's own reply facts. */
export interface StartTlsFacts<Reply> {
  readonly offered: boolean;
  readonly attempted: boolean;
  readonly reply?: Reply;
  /** Bytes the server sent after accepting and before the handshake (a command-injection sign). */
  readonly earlyBytes?: string;
}

/** What every line-protocol checker (SMTP, IMAP4, POP3) reports besides its own facts. */
export interface DialogueFacts<Reply> {
  /** TLS from the first byte: the whole dialogue happened inside TLS. */
  readonly implicitTls: boolean;
  readonly starttls: StartTlsFacts<Reply>;
  readonly tls?: TlsFacts;
  /** Every line sent and received, raw (sanitize before showing it). */
  readonly dialogue: readonly DialogueLine[];
  /** Grammar problems and invalid UTF-8 in what the server sent. */
  readonly problems: readonly string[];
  /** Why the dialogue stopped early, when it did. */
  readonly failure?: DialogueFailure;
}

/**
 * A line-oriented conversation (SMTP, IMAP, POP3, HTTP headers) on a socket that may be
 * upgraded to TLS midway. Keeps the dialogue and the problems seen, for the facts.
 */
export class TextSession {
  readonly dialogue: DialogueLine[] = [];
  readonly problems: string[] = [];
  private stream: Socket;
  private reader: LineReader;

  constructor(
    socket: Socket,
    private readonly limits: LineLimits,
    readonly signal: AbortSignal,
  ) {
    this.stream = socket;
    this.reader = new LineReader(socket, limits);
  }

  send(command: string): void {
    this.dialogue.push({ from: 'client', text: command });
    this.stream.write(`${command}\r\n`);
  }

  /** Raw protocol bytes that are not one command line (an HTTP request). */
  write(data: string): void {
    for (const line of data.split('\r\n').filter(Boolean)) this.dialogue.push({ from: 'client', text: line });
    this.stream.write(data);
  }

  get writable(): boolean {
    return this.stream.writable;
  }

  record(from: DialogueLine['from'], text: string): void {
    this.dialogue.push({ from, text });
  }

  rawLine(until: Deadline): Promise<Buffer> {
    return this.reader.readLine(until, this.signal);
  }

  /** The next line as text (invalid UTF-8 as U+FFFD, noted as a problem), recorded in the dialogue. */
  async line(until: Deadline): Promise<string> {
    const { text, invalidUtf8 } = decodeText(await this.rawLine(until));
    if (invalidUtf8) this.problems.push(`invalid UTF-8 in the ${until.phase}`);
    this.record('server', text);
    return text;
  }

  /**
   * The TLS handshake in the middle of the session. Whatever the server sent before it is
   * returned (and never read as a reply: that is how STARTTLS command injection works).
   */
  async upgrade(hostName: string, options: TlsClientOptions, now: Date): Promise<{ facts: TlsFacts; early: Buffer }> {
    const early = this.reader.detach();
    const { facts, socket } = await handshakeFacts(this.stream, hostName, options, this.signal, now);
    if (socket) {
      this.stream = socket;
      this.reader = new LineReader(socket, this.limits);
    }
    return { facts, early };
  }

  /**
   * Ends the session without waiting for the server: a polite close (what was sent, QUIT
   * included, is handed to the system first), then the socket is destroyed. Waits for no
   * reply; at most `CLOSE_FLUSH_MS` for this machine's own send buffer.
   */
  async close(): Promise<void> {
    const stream = this.stream;
    if (stream.writable && !stream.destroyed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CLOSE_FLUSH_MS);
        stream.end(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    stream.destroy();
  }
}

/** A server that stops reading can keep our last bytes from leaving; that wait is bounded. */
const CLOSE_FLUSH_MS = 100;
