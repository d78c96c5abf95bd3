import { readFile } from 'node:fs/promises';
import type { LabCertificate } from '../certificate.js';
import type { Listener } from '../listener.js';
import { startInspectingProxy, startTlsInterceptor } from '../middleboxes.js';

/**
 * One middlebox in the firewall namespace, where nftables redirects one path to it:
 * `serve-middlebox.js inspect PORT TARGET TARGET_PORT` (ESMTP inspection) or
 * `serve-middlebox.js intercept PORT TARGET TARGET_PORT KEYPAIR.json` (TLS interception).
 * Prints "ready" once listening, stops on SIGTERM or SIGINT.
 */
const [kind, port, target, targetPort, keyPairFile] = process.argv.slice(2);
const upstream = { address: target ?? '', port: Number(targetPort) };
let listener: Listener | undefined;
if (kind === 'inspect' && target && Number(port) > 0) {
  listener = await startInspectingProxy('0.0.0.0', Number(port), upstream);
} else if (kind === 'intercept' && target && keyPairFile && Number(port) > 0) {
  const keyPair = JSON.parse(await readFile(keyPairFile, 'utf8')) as LabCertificate;
  listener = await startTlsInterceptor('0.0.0.0', Number(port), upstream, keyPair);
} else {
  process.stderr.write('usage: serve-middlebox.js inspect|intercept PORT TARGET TARGET_PORT [KEYPAIR.json]\n');
  process.exitCode = 2;
}
if (listener) {
  const stop = () => void listener?.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write('ready\n');
}
