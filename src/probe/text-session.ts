import type { Socket } from 'node:net';
import type { Deadline } from './deadline.js';
import { decodeText, LineReader, type LineLimits } from './lines.js';
import { handshakeFacts, type TlsClientOptions } from './tls-handshake.js';
import type { TlsFacts } from './tls-facts.js';

/** One line of the dialogue, raw: `client` lines are what the checker sent. */
export interface DialogueLine {
  readonly from: 'client' | 'server';
  readonly text: string;
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

  close(): void {
    this.stream.destroy();
  }
}
