/**
 * What an ESMTP-inspecting firewall does to an SMTP dialogue, as Cisco ASA's default
 * `_default_esmtp_map` does it (Cisco ASA Series Firewall CLI Configuration Guide, "Defaults for
 * ESMTP Inspection"): the banner is masked, STARTTLS is not allowed, and EHLO reply parameters
 * it does not know are masked. Masks keep each line's length, as the firewall keeps TCP sequence
 * numbers; STARTTLS becomes `XXXXXXXA` as seen on the wire. Pure: lines in, lines out.
 */

/** The EHLO keywords the inspection knows (ASA: `match ehlo-reply-parameter` 8bitmime, binarymime, checkpoint, dsn, ecode, etrn, pipelining, size, vrfy), plus AUTH and CHUNKING. */
const KNOWN = new Set(['8BITMIME', 'BINARYMIME', 'CHECKPOINT', 'DSN', 'ENHANCEDSTATUSCODES', 'ETRN', 'PIPELINING', 'SIZE', 'VRFY', 'AUTH', 'CHUNKING']);
const REPLY = /^(\d{3})([ -])(.*)$/;

function maskKeyword(text: string): string {
  const [keyword = '', ...rest] = text.split(' ');
  if (KNOWN.has(keyword.toUpperCase())) return text;
  const masked = keyword.toUpperCase() === 'STARTTLS' ? 'XXXXXXXA' : 'X'.repeat(keyword.length);
  return [masked, ...rest].join(' ');
}

/** One client's session through the firewall: what it forwards, and what it answers itself. */
export class EsmtpInspection {
  private greeted = false;
  private inEhlo = false;
  private ehloFirstLine = true;

  /** A line from the server, as the client will see it. */
  fromServer(line: string): string {
    const match = REPLY.exec(line);
    if (!match) return line;
    const [, code = '', separator = '', text = ''] = match;
    if (!this.greeted) {
      if (separator === ' ') this.greeted = true;
      return code === '220' ? `${code}${separator}${'*'.repeat(text.length)}` : line;
    }
    if (!this.inEhlo || code !== '250') return line;
    if (separator === ' ') this.inEhlo = false;
    if (this.ehloFirstLine) {
      this.ehloFirstLine = false;
      return line;
    }
    return `${code}${separator}${maskKeyword(text)}`;
  }

  /** A line from the client: forwarded to the server, or answered by the firewall itself. */
  fromClient(line: string): { readonly forward: string } | { readonly answer: string } {
    const verb = line.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    if (verb === 'STARTTLS') return { answer: '500 5.5.1 Command unrecognized' };
    if (verb === 'EHLO') {
      this.inEhlo = true;
      this.ehloFirstLine = true;
    }
    return { forward: line };
  }
}

/** A whole recorded dialogue rewritten (greeting, then the EHLO reply): for tests and the docs. */
export function inspectTranscript(greeting: readonly string[], ehlo: readonly string[]): { greeting: string[]; ehlo: string[] } {
  const inspection = new EsmtpInspection();
  const rewrittenGreeting = greeting.map((line) => inspection.fromServer(line));
  inspection.fromClient('EHLO client');
  return { greeting: rewrittenGreeting, ehlo: ehlo.map((line) => inspection.fromServer(line)) };
}
