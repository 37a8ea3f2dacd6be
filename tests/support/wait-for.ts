// Polling for what happens in other processes and queues: the one way tests wait for it.

/**
 * Polls every `intervalMs` until `check` returns something other than undefined/false, or fails
 * after `timeoutMs` with `what` and, if given, `detail()` (what the test saw).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  detail: () => string = () => '',
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await sleep(intervalMs);
  }
}

/**
 * Only for a time that is itself what the test is about: a schedule's moment, or a window in
 * which something must not happen (a duplicate that would have arrived by then). To wait for
 * something to happen, use waitFor: a busy machine makes any fixed time too short.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
