import { decodeText, LineSplitter, type LineLimits, type Overflow } from './lines.js';

/** One SMTP reply (RFC 5321 4.2): a code and the text of each line, as the server sent it. */
export interface SmtpReply {
  /** Null when the server sent something that is not an SMTP reply. */
  readonly code: number | null;
  readonly lines: readonly string[];
  /** Set when the reply breaks the grammar; the reply ends there. */
  readonly problem?: string;
  /** Some bytes were not UTF-8: they stand as U+FFFD in `lines`. */
  readonly invalidUtf8?: true;
}

export interface ReplyLimits extends LineLimits {
  /** Most lines in one reply (an endless `220-` banner ends here). */
  readonly maxReplyLines: number;
}

const LINE = /^([1-5][0-9]{2})(?:([ -])([\s\S]*))?$/;
/** Builds replies from lines: `NNN-text` goes on, `NNN text` or a bare `NNN` ends the reply. */
export class ReplyAssembler {
  private code: number | null = null;
  private lines: string[] = [];
  private invalidUtf8 = false;

  constructor(private readonly maxReplyLines: number) {}

  push(line: Uint8Array): SmtpReply | undefined {
    const decoded = decodeText(line);
    this.invalidUtf8 ||= decoded.invalidUtf8;
    this.lines.push(decoded.text);
    const match = LINE.exec(decoded.text);
    if (!match) return this.end(this.lines.length > 1 ? 'a line that is not an SMTP reply inside a multi-line reply' : 'not an SMTP reply');
    const code = Number(match[1]);
    if (this.code !== null && code !== this.code) return this.end(`reply code ${code} inside a multi-line ${this.code} reply`);
    this.code = code;
    if (match[2] !== '-') return this.end();
    if (this.lines.length >= this.maxReplyLines) return this.end(`more than ${this.maxReplyLines} lines in one reply`);
    return undefined;
  }

  /** True while a multi-line reply is unfinished. */
  get pending(): boolean {
    return this.lines.length > 0;
  }

  private end(problem?: string): SmtpReply {
    const reply: SmtpReply = {
      code: this.code,
      lines: this.lines,
      ...(problem ? { problem } : {}),
      ...(this.invalidUtf8 ? { invalidUtf8: true as const } : {}),
    };
    this.code = null;
    this.lines = [];
    this.invalidUtf8 = false;
    return reply;
  }
}

/** The text after the code and separator of each line (`250-SIZE 10` -> `SIZE 10`). */
export function replyTexts(reply: SmtpReply): string[] {
  return reply.lines.map((line) => {
    const match = LINE.exec(line);
    return (match ? (match[3] ?? '') : line).trimEnd();
  });
}

export interface ParsedReplies {
  readonly replies: readonly SmtpReply[];
  readonly overflow?: Overflow;
  /** A reply was still open when the bytes ran out. */
  readonly unfinished: boolean;
}

/** Every reply in a byte stream, within the limits. Never throws. */
export function parseReplies(bytes: Uint8Array, limits: ReplyLimits): ParsedReplies {
  const splitter = new LineSplitter(limits);
  const assembler = new ReplyAssembler(limits.maxReplyLines);
  const replies: SmtpReply[] = [];
  for (const line of splitter.push(bytes)) {
    const reply = assembler.push(line);
    if (reply) replies.push(reply);
  }
  return { replies, unfinished: assembler.pending, ...(splitter.overflow ? { overflow: splitter.overflow } : {}) };
}
