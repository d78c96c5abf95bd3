import type { Socket } from 'node:net';

/** Behaviours of hostile servers, each a connection handler for `startRawServer`. */

/**
 * Writes `line` forever, as fast as the client reads: a batch a turn of the event loop, so the
 * writer (in the test's own process) never starves the client it is flooding.
 */
export function endless(line: string): (socket: Socket) => void {
  const batch = line.repeat(64);
  return (socket) => {
    const pump = (): void => {
      if (socket.destroyed) return;
      if (socket.write(batch)) setImmediate(pump);
      else socket.once('drain', pump);
    };
    pump();
  };
}

/** Sends `text` one byte every `intervalMs`. */
export function trickle(text: string, intervalMs: number): (socket: Socket) => void {
  return (socket) => {
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= text.length) return clearInterval(timer);
      socket.write(text[i++] ?? '');
    }, intervalMs);
    socket.on('close', () => clearInterval(timer));
  };
}

/** Sends `bytes` once and then nothing. */
export function sendThenSilence(bytes: string | Buffer): (socket: Socket) => void {
  return (socket) => {
    socket.write(bytes);
  };
}

/** Sends `first`, waits for one line from the client, sends `partial`, then resets the connection. */
export function resetAfter(first: string, partial: string): (socket: Socket) => void {
  return (socket) => {
    socket.write(first);
    socket.once('data', () => {
      // Reset once the partial reply has surely arrived, so the client sees RST rather than FIN.
      socket.write(partial);
      setTimeout(() => socket.resetAndDestroy(), 50);
    });
  };
}

/** A 10 MB line without an end. */
export const HUGE_LINE = Buffer.concat([Buffer.from('220 '), Buffer.alloc(10 * 1024 * 1024, 0x41), Buffer.from('\r\n')]);

/** Every byte value, repeated: binary garbage. */
export const GARBAGE = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256));

/** Sends a greeting, then behaves as `then` once the client has said something. */
export function afterGreeting(greeting: string, then: (socket: Socket) => void): (socket: Socket) => void {
  return (socket) => {
    socket.write(greeting);
    socket.once('data', () => then(socket));
  };
}
