/**
 * Work a console route starts but does not wait for, so its answer takes the same time whatever
 * that work turns out to be (texting a login code only when the number coordinates). Each task
 * starts on a later turn of the event loop (setImmediate), once the handler has returned its
 * answer; its failure is logged, and the app waits for the tasks still running when it closes.
 */
import type { FastifyBaseLogger } from 'fastify';

export class AfterReply {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Pick<FastifyBaseLogger, 'warn'>) {}

  /** Runs `task` after the current answer; `what` names it in the log if it fails. */
  run(what: string, task: () => Promise<void>): void {
    const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((error: unknown) => {
        this.log.warn(
          { err: error instanceof Error ? error.message : String(error) },
          `console: ${what} failed`,
        );
      })
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves once every task started so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }
}
