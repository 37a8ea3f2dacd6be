// A worker as a real child process, for tests that kill it with SIGKILL mid-work: started with
// tsx, ready once it prints "ready".
import { startTsx, whenReady, type Child } from './children.js';

export async function startChildWorker(
  entry: string,
  env: Record<string, string>,
  readyTimeoutMs = 20_000,
): Promise<Child> {
  const worker = startTsx(entry, env);
  await whenReady(
    worker,
    `${entry} to print "ready"`,
    () => worker.output().includes('ready'),
    readyTimeoutMs,
  );
  return worker;
}
