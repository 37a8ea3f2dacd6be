/**
 * npx tsx scripts/bench/profile-top.ts FILE.cpuprofile [N]
 * The top N (20) entries of a V8 CPU profile (node --cpu-prof; `BENCH_PROFILE=DIR npm run bench`
 * writes one per channel) by self time: function, file:line, and share of the samples.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const [file, count = '20'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfSamples = new Map<string, number>();
for (const id of profile.samples) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  const where = frame.url
    ? `${frame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${frame.lineNumber + 1}`
    : '';
  const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
  selfSamples.set(name, (selfSamples.get(name) ?? 0) + 1);
}
const total = profile.samples.length;
const top = [...selfSamples].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
for (const [name, samples] of top)
  console.log(`${((100 * samples) / total).toFixed(1).padStart(5)}%  ${name}`);
