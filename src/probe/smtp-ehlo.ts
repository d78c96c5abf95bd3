import { replyTexts, type SmtpReply } from './smtp-reply.js';

/** EHLO keywords, upper-case, each with its parameters. A set: the order the server used is not kept. */
export type SmtpExtensions = Readonly<Record<string, readonly string[]>>;

/** The extensions of an EHLO reply (the first line is the server's greeting name, not an extension). */
export function parseExtensions(reply: SmtpReply): SmtpExtensions {
  const extensions: Record<string, string[]> = {};
  for (const text of replyTexts(reply).slice(1)) {
    // Old servers wrote `AUTH=LOGIN PLAIN`; it means AUTH.
    const [keyword = '', ...params] = text.trim().replace(/^AUTH=/i, 'AUTH ').split(/\s+/);
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(keyword)) continue;
    const key = keyword.toUpperCase();
    const before = extensions[key];
    // A keyword on several lines: its parameters become a sorted set, so line order cannot show.
    extensions[key] = before ? [...new Set([...before, ...params])].sort() : params;
  }
  return Object.fromEntries(Object.entries(extensions).sort(([a], [b]) => a.localeCompare(b)));
}

export function authMechanisms(extensions: SmtpExtensions): string[] {
  return [...new Set((extensions.AUTH ?? []).map((m) => m.toUpperCase()))].sort();
}

export function sizeLimit(extensions: SmtpExtensions): number | undefined {
  const value = extensions.SIZE?.[0];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The host name a greeting or EHLO reply starts with (`220 mail.contoso.com Microsoft ESMTP ...`). */
export function announcedHost(reply: SmtpReply): string | undefined {
  const first = replyTexts(reply)[0]?.trim().split(/\s+/)[0];
  if (!first) return undefined;
  return /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9])?\.?)+$/.test(first) || /^\[[0-9A-Fa-f.:]+\]$/.test(first)
    ? first.replace(/\.$/, '')
    : undefined;
}
