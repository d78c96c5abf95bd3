import type { Socket } from 'node:net';
import { deadline, failureFacts, ProbeFailure, type DialogueFailure } from './deadline.js';
import type { LineLimits } from './lines.js';
import { connectTcp } from './service-connect.js';
import { runService } from './service-run.js';
import { TextSession } from './text-session.js';
import type { TlsClientOptions } from './tls-handshake.js';
import { besideLegacy, legacyHandshake } from './tls-legacy.js';
import type { TlsFacts } from './tls-facts.js';
import { serverName, type ProbeTarget, type Prober, type ServiceFacts } from './types.js';

/** The Exchange virtual directories asked for on 443, and the root asked for on 80. */
export const EXCHANGE_PATHS: readonly string[] = [
  '/owa',
  '/autodiscover/autodiscover.xml',
  '/EWS/Exchange.asmx',
  '/mapi',
  '/OAB',
  '/rpc/rpcproxy.dll',
  '/Microsoft-Server-ActiveSync',
];
export const PLAIN_PATHS: readonly string[] = ['/'];

export interface HttpProberOptions extends TlsClientOptions, LineLimits {
  readonly requestTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  /** Most header lines in one response. */
  readonly maxHeaderLines: number;
  readonly httpsPaths: readonly string[];
  readonly httpPaths: readonly string[];
  /** Also try a handshake limited to TLS 1.1 on https. */
  readonly legacyCheck: boolean;
  readonly now?: () => Date;
}

export const HTTP_DEFAULTS: HttpProberOptions = {
  requestTimeoutMs: 5000,
  sessionTimeoutMs: 45000,
  handshakeTimeoutMs: 5000,
  maxLineBytes: 8192,
  maxHeaderLines: 100,
  maxSessionBytes: 64 * 1024,
  httpsPaths: EXCHANGE_PATHS,
  httpPaths: PLAIN_PATHS,
  legacyCheck: true,
};

export interface HttpResponseFacts {
  readonly path: string;
  readonly status?: number;
  readonly statusLine?: string;
  /** Header names in lower case; repeated headers keep every value. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly failure?: DialogueFailure;
}

export interface HttpFacts extends ServiceFacts {
  readonly kind: 'http';
  readonly scheme: 'http' | 'https';
  readonly tls?: TlsFacts;
  readonly responses: readonly HttpResponseFacts[];
  /** The first response's status (`/` on 80, `/owa` on 443), what reports show beside the verdict. */
  readonly status?: number;
  /** X-FEServer / X-OWA-Version when any response carried them. */
  readonly feServer?: string;
  readonly owaVersion?: string;
  readonly failure?: DialogueFailure;
}

function request(path: string, host: string, port: number, scheme: 'http' | 'https'): string {
  const defaultPort = scheme === 'https' ? 443 : 80;
  const authority = port === defaultPort ? host : `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return [`GET ${path} HTTP/1.1`, `Host: ${authority}`, 'User-Agent: exchange-ports', 'Accept: */*', 'Connection: close', '', ''].join('\r\n');
}

/** One GET on a fresh connection: the status line and headers, never the body, no credentials. */
async function get(
  socket: Socket,
  path: string,
  target: ProbeTarget,
  scheme: 'http' | 'https',
  options: HttpProberOptions,
  signal: AbortSignal,
): Promise<{ response: HttpResponseFacts; tls?: TlsFacts }> {
  const host = serverName(target);
  const session = new TextSession(socket, options, signal);
  let tls: TlsFacts | undefined;
  const headers: Record<string, string[]> = {};
  let statusLine: string | undefined;
  try {
    if (scheme === 'https') {
      tls = (await session.upgrade(host, options, options.now?.() ?? new Date())).facts;
      if (tls.handshake !== 'ok') return { response: { path, headers, ...(tls.failure ? { failure: tls.failure } : {}) }, tls };
    }
    session.write(request(path, host, target.check.port, scheme));
    const until = deadline(`response to GET ${path}`, options.requestTimeoutMs);
    statusLine = await session.line(until);
    const status = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/.exec(statusLine);
    if (!status) throw new ProbeFailure('malformed', until.phase, `not an HTTP status line in the ${until.phase}`);
    for (let count = 0; ; count++) {
      const line = await session.line(until);
      if (line === '') break;
      if (count >= options.maxHeaderLines) throw new ProbeFailure('limit', until.phase, `more than ${options.maxHeaderLines} header lines in the ${until.phase}`);
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      headers[name] = [...(headers[name] ?? []), line.slice(colon + 1).trim()];
    }
    return { response: { path, status: Number(status[1]), statusLine, headers }, ...(tls ? { tls } : {}) };
  } catch (error) {
    const failure = failureFacts(error, `GET ${path}`);
    return { response: { path, ...(statusLine ? { statusLine } : {}), headers, failure }, ...(tls ? { tls } : {}) };
  } finally {
    await session.close();
  }
}

function firstHeader(responses: readonly HttpResponseFacts[], name: string): string | undefined {
  return responses.map((response) => response.headers[name]?.[0]).find((value) => value !== undefined);
}

async function httpDialogue(first: Socket, target: ProbeTarget, options: HttpProberOptions, signal: AbortSignal): Promise<HttpFacts> {
  const scheme = target.check.implicitTls ? 'https' : 'http';
  const paths = scheme === 'https' ? options.httpsPaths : options.httpPaths;
  const responses: HttpResponseFacts[] = [];
  let tls: TlsFacts | undefined;
  let failure: DialogueFailure | undefined;
  let socket: Socket | undefined = first;
  for (const path of paths) {
    if (!socket) {
      const connected = await connectTcp(target.address, target.port, target.timeoutMs, signal);
      if (!connected.ok) {
        responses.push({ path, headers: {}, failure: { phase: 'connect', reason: 'error', message: connected.error } });
        continue;
      }
      socket = connected.socket;
    }
    const result = await get(socket, path, target, scheme, options, signal);
    socket = undefined;
    tls ??= result.tls;
    responses.push(result.response);
    if (signal.aborted) {
      failure = result.response.failure ?? { phase: `GET ${path}`, reason: 'aborted', message: 'aborted' };
      break;
    }
    if (tls?.handshake === 'failed') break;
  }
  const feServer = firstHeader(responses, 'x-feserver');
  const owaVersion = firstHeader(responses, 'x-owa-version');
  return {
    kind: 'http',
    scheme,
    ...(tls ? { tls } : {}),
    responses,
    ...(responses[0]?.status !== undefined ? { status: responses[0].status } : {}),
    ...(feServer ? { feServer } : {}),
    ...(owaVersion ? { owaVersion } : {}),
    ...(failure ? { failure } : {}),
  };
}

/** The requests and, on https when asked, beside them the TLS 1.0/1.1 probe on its own connection. */
function httpFacts(socket: Socket, target: ProbeTarget, options: HttpProberOptions, signal: AbortSignal): Promise<HttpFacts> {
  if (!target.check.implicitTls || !options.legacyCheck) return httpDialogue(socket, target, options, signal);
  return besideLegacy(signal, (own) => legacyHandshake(target, serverName(target), options, own), (admitted) => {
    admitted();
    return httpDialogue(socket, target, options, signal);
  });
}

/** Port 80 (redirect to https expected) and 443 (the Exchange virtual directories). */
export function makeHttpProber(options: HttpProberOptions = HTTP_DEFAULTS): Prober {
  return (target, signal) => runService(target, signal, options.sessionTimeoutMs, (socket, session) => httpFacts(socket, target, options, session));
}
