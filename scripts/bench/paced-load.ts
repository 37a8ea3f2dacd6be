/**
 * A steady load for the latency at a given rate: requests start on a fixed schedule (one every
 * 1/rate seconds, as Twilio delivers messages from many learners), whatever the answers, and each
 * one's latency counts from when it was due, not from when it could be sent. A slow answer
 * therefore delays no later request's clock: no coordinated omission, and no correction needed.
 *
 * Why not autocannon's rate option, which load.ts used until 2026-12-02: it lets each connection
 * send back to back until it has made its quota for the second, then waits for the next second.
 * Half of the maximum rate was a full-speed burst for the first half of each second and silence
 * for the rest, so the "latency at half load" was the latency of a burst at full load; and its
 * correction for coordinated omission (recordValueWithExpectedInterval) added, for every answer of
 * n ms, n synthetic samples, which weighted the percentiles toward the slowest answers.
 */
import { Agent, request } from 'node:http';
import { countRefusal, webhookRequest, type LoadPlan, type LoadResult } from './load.js';

/** More sockets than requests ever in flight at half load: a request never waits for one. */
const MAX_SOCKETS = 256;

export async function pacedLoad(url: string, plan: LoadPlan, tag: string, rate: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const target = new URL('/twilio/messages', url);
  const total = Math.round(rate * plan.seconds);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  const started = performance.now();
  const answered: Promise<void>[] = [];

  const send = (i: number, due: number) =>
    new Promise<void>((resolve) => {
      const { headers, body } = webhookRequest(plan, tag, i);
      const req = request(
        target,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            latencies.push(performance.now() - due);
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) non2xx++;
            countRefusal(plan, status, Buffer.concat(chunks).toString('utf8'));
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  // Wake often and start every request whose time has come; timers fire late, never early, and a
  // late start is charged to the request (its latency counts from when it was due).
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + (sent * 1000) / rate <= now) {
        answered.push(send(sent, started + (sent * 1000) / rate));
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(answered);
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
  return {
    // Requests answered per second of the schedule: the rate offered, when every one was answered.
    rps: Math.round(latencies.length / plan.seconds),
    p50: at(50),
    p95: at(95),
    p99: at(99),
    errors,
    non2xx,
    requests: latencies.length,
  };
}
