// Shared by the erasure tests: when the app's outbound sender has nothing left to do, and how
// many send jobs it has finished.
import type { FastifyInstance } from 'fastify';

/** True once neither send lane has a job waiting, running or waiting for a retry. */
export async function outboundIdle(app: FastifyInstance): Promise<boolean> {
  for (const lane of ['sms', 'whatsapp'] as const) {
    const counts = await app.outbound.queue(lane).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).some((n) => n > 0)) return false;
  }
  return true;
}

/** Send jobs over for good (sent, skipped or failed), in both lanes. */
export async function sendJobsOver(app: FastifyInstance): Promise<number> {
  let over = 0;
  for (const lane of ['sms', 'whatsapp'] as const) {
    const counts = await app.outbound.queue(lane).getJobCounts('completed', 'failed');
    over += (counts.completed ?? 0) + (counts.failed ?? 0);
  }
  return over;
}
