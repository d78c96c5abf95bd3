import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { listen, type KeyPair, type Listener } from './listener.js';

/**
 * The Exchange 2016 virtual directories on the front-end web site, answering as IIS does with
 * Exchange's identifying headers, and port 80 redirecting to https.
 */
export interface WebServiceOptions {
  readonly address: string;
  readonly port: number;
  /** The server's short name for X-FEServer, e.g. MBX01. */
  readonly server: string;
  /** The name clients use, for redirects. */
  readonly publicName: string;
}

/** Exchange 2016 CU23. */
const OWA_VERSION = '15.1.2507.6';

type Answer = { status: number; headers: Record<string, string | string[]> };

const INTEGRATED = { 'WWW-Authenticate': ['Negotiate', 'NTLM'] };

function answer(path: string, publicName: string): Answer {
  const lower = path.toLowerCase().split('?')[0] ?? '';
  const logon = (app: string) => ({
    status: 302,
    headers: { Location: `https://${publicName}/${app}/auth/logon.aspx?url=https%3a%2f%2f${publicName}%2f${app}%2f&reason=0` },
  });
  if (lower === '/' ) return { status: 302, headers: { Location: `https://${publicName}/owa` } };
  if (/^\/(owa|ecp)\/auth\/logon\.aspx$/.test(lower)) return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
  if (/^\/owa\/?$/.test(lower)) return logon('owa');
  if (/^\/ecp\/?$/.test(lower)) return logon('ecp');
  if (lower.startsWith('/microsoft-server-activesync')) {
    return { status: 401, headers: { 'WWW-Authenticate': `Basic realm="${publicName}"` } };
  }
  if (/^\/(autodiscover\/autodiscover\.xml|ews\/exchange\.asmx|mapi\/?|oab\/?|rpc\/rpcproxy\.dll|ews\/mrsproxy\.svc)$/.test(lower)) {
    return { status: 401, headers: INTEGRATED };
  }
  return { status: 404, headers: { 'Content-Type': 'text/html' } };
}

function exchangeHeaders(options: WebServiceOptions): Record<string, string> {
  return {
    Server: 'Microsoft-IIS/10.0',
    'X-FEServer': options.server,
    'X-OWA-Version': OWA_VERSION,
    'X-Powered-By': 'ASP.NET',
    'request-id': randomUUID(),
  };
}

function respond(request: IncomingMessage, response: ServerResponse, options: WebServiceOptions): void {
  const { status, headers } = answer(request.url ?? '/', options.publicName);
  response.writeHead(status, { ...exchangeHeaders(options), ...headers });
  response.end(status === 200 ? '<html><head><title>Outlook</title></head><body></body></html>' : '');
}

export function startHttpsService(options: WebServiceOptions & { keyPair: KeyPair }): Promise<Listener> {
  const server = createHttpsServer({ ...options.keyPair }, (request, response) => respond(request, response, options));
  return listen(server, options.address, options.port);
}

/** Port 80: the good state, a redirect of everything to https (OWA redirection configured). */
export function startHttpRedirect(options: WebServiceOptions): Promise<Listener> {
  const server = createHttpServer((request, response) => {
    response.writeHead(302, {
      ...exchangeHeaders(options),
      Location: `https://${options.publicName}/owa`,
    });
    response.end();
  });
  return listen(server, options.address, options.port);
}
