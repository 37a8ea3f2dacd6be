/**
 * The content check's part for WhatsApp's interactive messages: every text that becomes a button
 * or list label fits WhatsApp's limits (whatsapp-limits.ts) in every language, so a translation
 * cannot make WhatsApp reject a whole message. Option texts are not checked: one too long for a
 * button is sent with its number as the label and its full text in the message.
 */
import type { ContentProblem, LoadedContent } from './load-content.js';
import { LANGUAGES } from './locale-schema.js';
import { labelProblem, type WhatsAppLabelKind } from './whatsapp-limits.js';

/** common.yaml texts used only as WhatsApp labels (the menu's last items, the list button). */
export const WHATSAPP_LABELS: Record<string, WhatsAppLabelKind> = {
  'whatsapp.button': 'listButton',
  'whatsapp.progress': 'listItem',
  'whatsapp.help': 'listItem',
  'whatsapp.more': 'listItem',
  'whatsapp.language_name': 'quickReplyTitle',
};
export const WHATSAPP_KEYS = Object.keys(WHATSAPP_LABELS);

export function checkWhatsAppLabels(content: LoadedContent): ContentProblem[] {
  const labels: { key: string; kind: WhatsAppLabelKind; file?: string; where?: string }[] = [];
  for (const [key, kind] of Object.entries(WHATSAPP_LABELS)) labels.push({ key: `common:${key}`, kind });
  // Section titles are menu items; lesson names (label, else title) are items of the lessons list.
  for (const section of content.course.sections) labels.push({ key: section.title, kind: 'listItem' });
  for (const { flow, file } of content.flows.values()) {
    const key = flow.label ?? flow.title;
    labels.push({
      key: key.includes(':') ? key : `${flow.id}:${key}`,
      kind: 'listItem',
      file,
      where: flow.label ? 'its label' : 'its title; give the flow a shorter `label:`',
    });
  }
  const problems: ContentProblem[] = [];
  for (const { key, kind, file, where } of labels) {
    for (const lang of LANGUAGES) {
      const entry = content.locales[lang].get(key);
      const problem = entry && labelProblem(entry.text, kind);
      if (!entry || !problem) continue;
      const usedBy = file ? ` (${file} shows it in lists as ${where})` : '';
      problems.push({
        file: entry.file,
        key: key.slice(key.indexOf(':') + 1),
        message: `"${entry.text}" is too long for WhatsApp: ${problem}${usedBy}`,
      });
    }
  }
  return problems;
}
