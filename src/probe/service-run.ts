import type { Socket } from 'node:net';
import { sessionSignal } from './deadline.js';
import { connectTcp } from './service-connect.js';
import type { Observation, ProbeTarget, ServiceFacts } from './types.js';

export type Dialogue = (socket: Socket, signal: AbortSignal) => Promise<ServiceFacts>;

/**
 * The frame every service checker shares: one TCP connect bounded by the target's timeout,
 * then the dialogue bounded by the session limit and the caller's signal. The socket is
 * always destroyed at the end, whatever the dialogue did.
 */
export async function runService(
  target: ProbeTarget,
  signal: AbortSignal,
  sessionMs: number,
  dialogue: Dialogue,
): Promise<Observation> {
  const connected = await connectTcp(target.address, target.port, target.timeoutMs, signal);
  if (!connected.ok) {
    const { state, error, errorCode } = connected;
    return { state, address: target.address, attempts: 1, error, ...(errorCode ? { errorCode } : {}) };
  }
  const session = sessionSignal(signal, sessionMs);
  try {
    const service = await dialogue(connected.socket, session.signal);
    const failure = 'failure' in service ? (service.failure as { message?: unknown } | undefined) : undefined;
    return {
      state: 'open',
      address: target.address,
      rttMs: connected.rttMs,
      attempts: 1,
      ...(typeof failure?.message === 'string' ? { error: failure.message } : {}),
      service,
    };
  } finally {
    session.dispose();
    connected.socket.destroy();
  }
}
