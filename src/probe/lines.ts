import type { Duplex } from 'node:stream';
import { abortFailure, ProbeFailure, timedOut, type Deadline } from './deadline.js';

export interface LineLimits {
  /** Longest line accepted, without its line break. */
  readonly maxLineBytes: number;
  /** Most bytes read from the server in one session. */
  readonly maxSessionBytes: number;
}

export type Overflow = 'line' | 'session';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** Server text as a string: invalid UTF-8 becomes U+FFFD, and says so. */
export function decodeText(bytes: Uint8Array): { text: string; invalidUtf8: boolean } {
  try {
    return { text: strict.decode(bytes), invalidUtf8: false };
  } catch {
    return { text: lenient.decode(bytes), invalidUtf8: true };
  }
}


/**
 * Splits a byte stream into lines at LF (a CR before it is dropped), within limits: once a
 * limit is passed it yields nothing more. Pure, so the reply parser's property test uses it too.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private total = 0;
  overflow: Overflow | undefined;

  constructor(private readonly limits: LineLimits) {}

  push(chunk: Uint8Array): Buffer[] {
    if (this.overflow) return [];
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const room = this.limits.maxSessionBytes - this.total;
    if (data.length > room) {
      data = data.subarray(0, room);
      this.overflow = 'session';
    }
    this.total += data.length;
    const lines: Buffer[] = [];
    let start = 0;
    for (let lf = data.indexOf(10); lf !== -1; lf = data.indexOf(10, start)) {
      const line = Buffer.concat([...this.pending, data.subarray(start, lf)]);
      this.pending = [];
      this.pendingBytes = 0;
      start = lf + 1;
      const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
      if (end > this.limits.maxLineBytes) {
        this.overflow = 'line';
        return lines;
      }
      lines.push(line.subarray(0, end));
    }
    const rest = data.subarray(start);
    if (this.pendingBytes + rest.length > this.limits.maxLineBytes + 1) {
      this.overflow = 'line';
      return lines;
    }
    if (rest.length > 0) {
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
    return lines;
  }

  /** Bytes received after the last complete line. */
  leftover(): Buffer {
    return Buffer.concat(this.pending);
  }
}

export function overflowFailure(overflow: Overflow, phase: string, limits: LineLimits): ProbeFailure {
  return overflow === 'line'
    ? new ProbeFailure('limit', phase, `a line longer than ${limits.maxLineBytes} bytes during the ${phase}`)
    : new ProbeFailure('limit', phase, `more than ${limits.maxSessionBytes} bytes from the server by the ${phase}`);
}

/** Reads bounded lines from a socket, one phase deadline at a time. */
export class LineReader {
  private readonly splitter: LineSplitter;
  private readonly queue: Buffer[] = [];
  private ended: { reason: 'closed' | 'reset' | 'error'; message: string } | undefined;
  private waiter: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.queue.push(...this.splitter.push(chunk));
    if (this.splitter.overflow) this.socket.destroy();
    this.wake();
  };
  private readonly onEnd = (): void => {
    this.ended ??= { reason: 'closed', message: 'the server closed the connection' };
    this.wake();
  };
  private readonly onError = (error: NodeJS.ErrnoException): void => {
    const reset = error.code === 'ECONNRESET' || error.code === 'EPIPE';
    this.ended ??= { reason: reset ? 'reset' : 'error', message: reset ? 'the server reset the connection' : error.message };
    this.wake();
  };

  constructor(
    private readonly socket: Duplex,
    private readonly limits: LineLimits,
  ) {
    this.splitter = new LineSplitter(limits);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** The next line, or a ProbeFailure naming the phase when the deadline, a limit or the server ends it. */
  async readLine(d: Deadline, signal: AbortSignal): Promise<Buffer> {
    for (;;) {
      const line = this.queue.shift();
      if (line) return line;
      if (this.splitter.overflow) throw overflowFailure(this.splitter.overflow, d.phase, this.limits);
      if (this.ended) throw new ProbeFailure(this.ended.reason, d.phase, `${this.ended.message} during the ${d.phase}`);
      if (signal.aborted) throw abortFailure(signal, d.phase);
      const remaining = d.at - performance.now();
      if (remaining <= 0) throw timedOut(d);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        signal.addEventListener('abort', done, { once: true });
        this.waiter = done;
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
      });
    }
  }

  /** Stops reading (before a TLS upgrade) and returns what the server sent ahead of time. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    const early = Buffer.concat([...this.queue.map((line) => Buffer.concat([line, Buffer.from('\r\n')])), this.splitter.leftover()]);
    this.queue.length = 0;
    return early;
  }
}
