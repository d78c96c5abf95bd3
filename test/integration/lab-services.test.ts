import { X509Certificate } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import DNS from 'dns2';
import { parse } from 'yaml';
import { makeCertificate } from '../../src/lab/certificate.js';
import { INTERCEPTOR_CA } from '../../src/lab/host-services.js';
import { startLineService } from '../../src/lab/line-service.js';
import { pop3Service } from '../../src/lab/pop3-service.js';
import { startLab, type RunningLab } from '../../src/lab/lab.js';
import { contoso, loopbackAddresses } from '../../src/lab/organization.js';
import type { RunningHost } from '../../src/lab/host-services.js';

/** A line-reading client for the lab's text protocols (tests only). */
class Dialogue {
  private buffer = '';
  private waiting: (() => void) | undefined;
  constructor(private socket: Socket | TLSSocket) {
    this.listen(socket);
  }
  private listen(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      this.waiting?.();
    });
  }
  /** Reads until a line matches `last`; returns every line read. */
  async until(last: RegExp): Promise<string[]> {
    for (;;) {
      const lines = this.buffer.split('\r\n');
      const index = lines.findIndex((line) => last.test(line));
      if (index >= 0) {
        this.buffer = lines.slice(index + 1).join('\r\n');
        return lines.slice(0, index + 1);
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${last} in ${JSON.stringify(this.buffer)}`)), 3000);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }
  async startTls(servername: string): Promise<TLSSocket> {
    this.socket.removeAllListeners('data');
    const secure = connectTls({ socket: this.socket, rejectUnauthorized: false, servername });
    await new Promise((resolve) => secure.once('secureConnect', resolve));
    this.socket = secure;
    this.listen(secure);
    return secure;
  }
  close(): void {
    this.socket.destroy();
  }
}

async function open(address: string, port: number, implicitTls = false): Promise<Dialogue> {
  const socket = implicitTls
    ? connectTls({ host: address, port, rejectUnauthorized: false })
    : connectTcp({ host: address, port });
  await new Promise((resolve, reject) => {
    socket.once(implicitTls ? 'secureConnect' : 'connect', resolve);
    socket.once('error', reject);
  });
  return new Dialogue(socket);
}

let lab: RunningLab;
const dialogues: Dialogue[] = [];
const hostNamed = (name: string): RunningHost => {
  const found = lab.hosts.find((running) => running.host.name === name);
  if (!found) throw new Error(`no lab host ${name}`);
  return found;
};
const portOf = (name: string, service: keyof RunningHost['ports']): number => {
  const port = hostNamed(name).ports[service];
  if (port === undefined) throw new Error(`${name} runs no ${service}`);
  return port;
};
async function dial(name: string, service: keyof RunningHost['ports'], implicitTls = false): Promise<Dialogue> {
  const dialogue = await open(hostNamed(name).host.address, portOf(name, service), implicitTls);
  dialogues.push(dialogue);
  return dialogue;
}

beforeAll(async () => {
  lab = await startLab(contoso(loopbackAddresses()));
});
afterAll(async () => {
  for (const dialogue of dialogues) dialogue.close();
  await lab?.stop();
});

describe('lab SMTP', () => {
  test('port 25 greets like Exchange, offers STARTTLS, and drops it after TLS', async () => {
    const smtp = await dial('mbx02.contoso.lab', 'smtp');
    const [greeting] = await smtp.until(/^220 /);
    expect(greeting).toMatch(/^220 mbx02\.contoso\.lab Microsoft ESMTP MAIL Service ready at /);
    smtp.send('EHLO scanner');
    const before = await smtp.until(/^250 /);
    expect(before).toContain('250-STARTTLS');
    expect(before).toContain('250-AUTH NTLM');
    smtp.send('STARTTLS');
    expect(await smtp.until(/^220 /)).toEqual(['220 2.0.0 SMTP server ready']);
    await smtp.startTls('mbx02.contoso.lab');
    smtp.send('EHLO scanner');
    const after = await smtp.until(/^250 /);
    expect(after.some((line) => line.includes('STARTTLS'))).toBe(false);
    smtp.send('QUIT');
    expect(await smtp.until(/^221 /)).toEqual(['221 2.0.0 Service closing transmission channel']);
  });

  test('the fault: an inspecting firewall in front of mbx01:25 masks the banner and keywords and refuses STARTTLS', async () => {
    const smtp = await dial('mbx01.contoso.lab', 'smtp');
    const [greeting] = await smtp.until(/^220 /);
    expect(greeting).toMatch(/^220 \*{20,}$/);
    smtp.send('EHLO scanner');
    const ehlo = await smtp.until(/^250 /);
    expect(ehlo).toEqual(expect.arrayContaining(['250-SIZE 37748736', '250-XXXXXXXA', '250-XXXXXXXXXXXXXX', '250-AUTH NTLM', '250 XXXXX']));
    expect(ehlo[0]).toMatch(/^250-mbx01\.contoso\.lab Hello/);
    smtp.send('STARTTLS');
    expect(await smtp.until(/^500 /)).toEqual(['500 5.5.1 Command unrecognized']);
    smtp.send('QUIT');
    expect(await smtp.until(/^221 /)).toEqual(['221 2.0.0 Service closing transmission channel']);
  });

  test('the fault: mbx01 offers LOGIN on 587 before TLS, mbx02 only after', async () => {
    const faulty = await dial('mbx01.contoso.lab', 'submission');
    await faulty.until(/^220 /);
    faulty.send('EHLO scanner');
    expect(await faulty.until(/^250 /)).toContain('250-AUTH GSSAPI NTLM LOGIN');

    const healthy = await dial('mbx02.contoso.lab', 'submission');
    await healthy.until(/^220 /);
    healthy.send('EHLO scanner');
    const before = await healthy.until(/^250 /);
    expect(before).toContain('250-AUTH GSSAPI NTLM');
    expect(before.some((line) => line.includes('LOGIN'))).toBe(false);
    healthy.send('STARTTLS');
    await healthy.until(/^220 /);
    await healthy.startTls('mbx02.contoso.lab');
    healthy.send('EHLO scanner');
    expect(await healthy.until(/^250 /)).toContain('250-AUTH GSSAPI NTLM LOGIN');
  });

  test('mail commands are refused, never accepted', async () => {
    const smtp = await dial('edge01.contoso.lab', 'smtp');
    await smtp.until(/^220 /);
    smtp.send('MAIL FROM:<a@example.org>');
    expect(await smtp.until(/^\d{3} /)).toEqual(['530 5.7.1 Client was not authenticated']);
  });

  test('the Internet host is a plain MTA', async () => {
    const smtp = await dial('mx.example.org', 'smtp');
    expect(await smtp.until(/^220 /)).toEqual(['220 mx.example.org ESMTP']);
  });
});

describe('lab IMAP4', () => {
  test('143 disables LOGIN until STARTTLS, 993 speaks TLS at once', async () => {
    const imap = await dial('mbx01.contoso.lab', 'imap');
    expect(await imap.until(/^\* OK/)).toEqual(['* OK The Microsoft Exchange IMAP4 service is ready.']);
    imap.send('a1 CAPABILITY');
    const caps = await imap.until(/^a1 /);
    expect(caps[0]).toMatch(/LOGINDISABLED.*STARTTLS/);
    expect(caps[1]).toBe('a1 OK CAPABILITY completed.');

    const imaps = await dial('mbx01.contoso.lab', 'imaps', true);
    await imaps.until(/^\* OK/);
    imaps.send('a1 CAPABILITY');
    expect((await imaps.until(/^a1 /))[0]).toMatch(/AUTH=PLAIN/);
  });
});

describe('lab web', () => {
  const get = (scheme: 'http' | 'https', port: number, path: string) =>
    new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const send = scheme === 'https' ? httpsRequest : httpRequest;
      const req = send({ host: '127.0.0.2', port, path, rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
      });
      req.on('error', reject);
      req.end();
    });

  test('the virtual directories answer as Exchange 2016 does', async () => {
    const port = portOf('mbx01.contoso.lab', 'https');
    const owa = await get('https', port, '/owa');
    expect(owa.status).toBe(302);
    expect(owa.headers.location).toMatch(/^https:\/\/mbx01\.contoso\.lab\/owa\/auth\/logon\.aspx/);
    const ews = await get('https', port, '/EWS/Exchange.asmx');
    expect(ews.status).toBe(401);
    expect(ews.headers['www-authenticate']).toBe('Negotiate, NTLM');
    expect(ews.headers['x-owa-version']).toMatch(/^15\.1\./);
    expect(ews.headers['x-feserver']).toBe('MBX01');
    expect((await get('https', port, '/Microsoft-Server-ActiveSync')).headers['www-authenticate']).toMatch(/^Basic/);
    expect((await get('https', port, '/nothing-here')).status).toBe(404);
  });

  test('port 80 redirects to https', async () => {
    const answer = await get('http', portOf('mbx01.contoso.lab', 'http'), '/');
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('https://mbx01.contoso.lab/owa');
  });

  test('the fault: mbx02 has a web certificate that expires in 10 days', async () => {
    const socket = connectTls({ host: '127.0.0.3', port: portOf('mbx02.contoso.lab', 'https'), rejectUnauthorized: false });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const certificate = new X509Certificate(socket.getPeerX509Certificate()?.raw ?? Buffer.alloc(0));
    socket.destroy();
    const days = (Date.parse(certificate.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(10);
    expect(days).toBeLessThanOrEqual(10.5);
    expect(certificate.subjectAltName).toContain('DNS:mbx02.contoso.lab');
  });

  test('every host certificate chains to the lab root and names the host address', async () => {
    const https = connectTls({ host: '127.0.0.3', port: portOf('mbx02.contoso.lab', 'https'), ca: [lab.authority], servername: 'mbx02.contoso.lab' });
    await new Promise((resolve, reject) => {
      https.once('secureConnect', resolve);
      https.once('error', reject);
    });
    expect(https.authorized).toBe(true);
    expect(https.getPeerCertificate().issuer.CN).toBe('contoso lab root');
    https.destroy();
  });

  test('the fault: a TLS-intercepting proxy answers for mbx01:443 with its own CA, and passes the requests on', async () => {
    const https = connectTls({ host: '127.0.0.2', port: portOf('mbx01.contoso.lab', 'https'), ca: [lab.authority], servername: 'mbx01.contoso.lab', rejectUnauthorized: false });
    await new Promise((resolve, reject) => {
      https.once('secureConnect', resolve);
      https.once('error', reject);
    });
    expect(https.authorized).toBe(false);
    expect(https.getPeerCertificate().issuer.CN).toBe(INTERCEPTOR_CA);
    https.write('GET /owa HTTP/1.1\r\nHost: mbx01.contoso.lab\r\nConnection: close\r\n\r\n');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      https.on('data', (chunk: Buffer) => (text += chunk.toString()));
      https.on('end', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 302 /);
    expect(answer).toMatch(/X-FEServer: MBX01/i);
    https.destroy();
  });
});

describe('lab EdgeSync and DNS', () => {
  test('the Edge server completes a TLS handshake on its EdgeSync port', async () => {
    const socket = connectTls({ host: '127.0.0.4', port: portOf('edge01.contoso.lab', 'edgesync'), rejectUnauthorized: false });
    await new Promise((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    expect(socket.getPeerCertificate().subject.CN).toBe('edge01.contoso.lab');
    socket.destroy();
  });

  test('DNS answers the lab names and MX over UDP and TCP on one port', async () => {
    const port = portOf('dns01.contoso.lab', 'dns');
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.5:${port}`]);
    expect(await resolver.resolve4('mbx01.contoso.lab')).toEqual(['127.0.0.2']);
    expect(await resolver.resolveMx('example.org')).toEqual([{ exchange: 'mx.example.org', priority: 10 }]);
    expect(await resolver.resolveMx('contoso.lab')).toEqual([{ exchange: 'edge01.contoso.lab', priority: 10 }]);
    await expect(resolver.resolve4('nothing.contoso.lab')).rejects.toMatchObject({ code: 'ENOTFOUND' });

    const query = DNS.TCPClient({ dns: '127.0.0.5', port });
    const response = await query('dns01.contoso.lab', 'A');
    expect(response.answers.map((a) => (a as { address?: string }).address)).toEqual(['127.0.0.5']);
  });
});

describe('lab POP3 and the topology file', () => {
  test('the POP3 service greets like Exchange and offers STLS (the lab itself leaves it off)', async () => {
    const keyPair = makeCertificate({ commonName: 'pop.contoso.lab', altNames: ['pop.contoso.lab'], validDays: 1 });
    const listener = await startLineService(pop3Service(), { address: '127.0.0.2', port: 0, keyPair });
    try {
      const pop = await open('127.0.0.2', listener.port);
      dialogues.push(pop);
      expect(await pop.until(/^\+OK/)).toEqual(['+OK The Microsoft Exchange POP3 service is ready.']);
      pop.send('CAPA');
      expect(await pop.until(/^\.$/)).toContain('STLS');
      pop.send('STLS');
      await pop.until(/^\+OK/);
      await pop.startTls('pop.contoso.lab');
      pop.send('CAPA');
      expect(await pop.until(/^\.$/)).not.toContain('STLS');
    } finally {
      await listener.close();
    }
  });

  test('the topology file enables POP3 that nothing serves, and names every moved port', () => {
    const document = parse(lab.topologyText) as {
      edge: string;
      features: Record<string, boolean>;
      hosts: Record<string, { name: string; address: string; ports?: Record<string, number> }[]>;
      internet: { hosts: { name: string; ports?: Record<string, number> }[]; mxDomain?: string };
    };
    expect(document.edge).toBe('subscribed');
    expect(document.features.pop3).toBe(true);
    const [mbx01] = document.hosts.mailbox ?? [];
    expect(mbx01?.ports).toEqual(hostNamed('mbx01.contoso.lab').ports);
    expect(mbx01?.ports?.pop3).toBeUndefined();
    expect(document.hosts.edge?.[0]?.ports?.edgesync).toBe(portOf('edge01.contoso.lab', 'edgesync'));
    expect(document.internet.hosts[0]?.ports?.smtp).toBe(portOf('mx.example.org', 'smtp'));
    expect(document.internet.mxDomain).toBeUndefined();
  });
});
