import { parseCertificateName } from '../../reading/commands.js';
import type { StepDeps } from '../deps.js';
import type { Said } from '../said.js';
import type { Next, Turn } from '../turn.js';

type Deps = Pick<StepDeps, 'lexicon' | 'snapshots' | 'certificateNames'>;

/**
 * NOMBRE <name>: the name to put on the learner's certificate picture, kept for that alone (for a
 * while: CertificateNameStore; BORRAR deletes it). A learner who already has their certificate
 * gets it again, with the name; the learner stays on the step they were on. NOMBRE alone says how
 * to write it. On SMS no picture is ever sent, so the name is not kept: the answer says the
 * picture is a WhatsApp thing.
 */
export async function certificateName(turn: Turn, deps: Deps): Promise<Next | null> {
  const { record, keyword, lang, learner } = turn;
  if (keyword || !record || !deps.certificateNames) return null;
  const name = parseCertificateName(turn.message.body, deps.lexicon);
  if (name === null) return null;
  const said: Said[] = [];
  if (turn.message.address.channel === 'sms')
    said.push({ lang, reply: { kind: 'text', key: 'certificate.name_whatsapp_only' } });
  else if (name === '') said.push({ lang, reply: { kind: 'text', key: 'certificate.name_how' } });
  else {
    await deps.certificateNames.set(learner, name);
    said.push({ lang, reply: { kind: 'text', key: 'certificate.name_saved', vars: { name } } });
    const cert = record.snapshot.context.cert;
    if (cert) said.push({ lang, reply: { kind: 'completed', section: '', code: cert.code } });
  }
  const { snapshot } = deps.snapshots.restore(record);
  return { snapshot, said, optedOut: turn.optedOut, completions: [] };
}
