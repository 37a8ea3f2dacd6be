// The real course, built once per test file (it is read-only and takes a few milliseconds).
import { buildContentRuntime, type ContentRuntime } from '../../src/plugins/content-runtime.js';

let runtime: ContentRuntime | undefined;

export function realContent(): ContentRuntime {
  runtime ??= buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
  return runtime;
}
