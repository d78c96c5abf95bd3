import type { RequestListener } from 'node:http';

/** Answers like Exchange 2016's front end on 443 (EXCHANGE-FACTS section 3). */
export const exchangeHttps: RequestListener = (req, res) => {
  res.setHeader('X-FEServer', 'MBX01');
  res.setHeader('request-id', '00000000-0000-0000-0000-000000000000');
  const path = (req.url ?? '/').toLowerCase();
  if (req.headers.authorization) {
    res.writeHead(500).end();
    return;
  }
  if (path === '/owa' || path === '/owa/') {
    res.setHeader('X-OWA-Version', '15.1.2507.6');
    res.writeHead(302, { Location: 'https://mail.contoso.test/owa/auth/logon.aspx?url=https%3a%2f%2fmail.contoso.test%2fowa%2f&reason=0' }).end();
  } else if (path === '/microsoft-server-activesync') {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="mail.contoso.test"' }).end();
  } else if (['/autodiscover/autodiscover.xml', '/ews/exchange.asmx', '/mapi', '/oab', '/rpc/rpcproxy.dll'].includes(path)) {
    res.setHeader('WWW-Authenticate', ['Negotiate', 'NTLM']);
    res.writeHead(401).end();
  } else res.writeHead(404).end('not found');
};

/** Exchange's port 80 with OWA redirection configured. */
export const exchangeHttpRedirect: RequestListener = (req, res) => {
  res.writeHead(301, { Location: `https://mail.contoso.test${req.url === '/' ? '/owa' : (req.url ?? '/')}` }).end();
};

/** A plain web server: a page at /, 404 everywhere else. */
export const plainWeb: RequestListener = (req, res) => {
  res.setHeader('Server', 'nginx');
  if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>It works</h1>');
  else res.writeHead(404).end('not found');
};
