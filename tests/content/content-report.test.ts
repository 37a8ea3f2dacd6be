// The content report counts what a learner receives and what is still in draft.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport, reportHtml, reportMarkdown } from '../../src/content-tools/content-report.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { writeMiniCourse } from '../support/mini-course.js';

const course = writeMiniCourse(({ texts }) => {
  texts.ay!.one = { text: 'Maya.', status: 'reviewed', reviewer: 'Test Reviewer' };
});
afterAll(() => rmSync(course.dir, { recursive: true, force: true }));
const report = buildReport(buildContentRuntime(course, course.dir));

describe('the content report', () => {
  it('counts the messages on the way through a lesson: each step, the right-answer feedback, the closing', () => {
    const mini = report.rows.find((r) => r.flow === 'mini' && r.lang === 'es')!;
    // two messages, one question, one feedback, one "you finished"
    expect(mini.messages).toBe(5);
    expect(mini.segments).toBe(5);
    expect(mini.encodings).toEqual(['GSM-7']);
    expect(mini.whatsappChars).toBeGreaterThan(0);
  });

  it('counts drafts and reviewed texts per lesson and language', () => {
    const ay = report.rows.find((r) => r.flow === 'mini' && r.lang === 'ay')!;
    expect(ay.reviewed).toBe(1);
    expect(ay.drafts).toBe(7);
    const es = report.rows.find((r) => r.flow === 'mini' && r.lang === 'es')!;
    expect(es.drafts).toBe(0);
  });

  it('totals the course per language', () => {
    const rows = report.rows.filter((r) => r.lang === 'qu');
    expect(report.totals.qu.messages).toBe(rows.reduce((n, r) => n + r.messages, 0));
    expect(report.totals.qu.segments).toBe(rows.reduce((n, r) => n + r.segments, 0));
    expect(report.totals.qu.lessons).toBe(2);
  });

  it('writes Markdown and a self-contained HTML page', () => {
    expect(reportMarkdown(report)).toContain('| Runa simi (qu) | 2 |');
    const html = reportHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(html).toContain('Mini (mini)');
  });
});
