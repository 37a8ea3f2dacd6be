/**
 * /console/texts: reviewers (and administrators) read the Aymara and Quechua texts beside the
 * Spanish and save corrections or review marks as proposals in Redis; the running content does
 * not change. An administrator downloads a language's proposals as the workbook
 * `npm run content:import` reads (/console/texts/<lang>/propuestas.xlsx).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SEGMENT_BUDGET } from '../../../../content/sms-budgets.js';
import type { Language } from '../../../../content/locale-schema.js';
import { samePlaceholders, placeholdersOf } from '../../../../content/placeholders.js';
import { buildWorkbook } from '../../../../i18n/review/review-workbook.js';
import { sessionOf, type ConsoleContext } from '../../context.js';
import { countSms, describeCount, spellingTables } from '../../sms-count.js';
import { field } from '../../ui/form.js';
import { html, jsonScript } from '../../ui/html.js';
import { notFound, sendPage } from '../../ui/respond.js';
import { showTime } from '../../ui/time.js';
import { languagesOf, progressByLesson, textRows, withProposals } from './review-data.js';
import { languagesBody, lessonBody, type LessonPage } from './view.js';

type Params = { lang: string; lesson: string };
const textForm = {
  type: 'object',
  properties: { key: { type: 'string', maxLength: 200 }, text: { type: 'string', maxLength: 1600 } },
} as const;

export async function textRoutes(app: FastifyInstance, context: ConsoleContext) {
  const { spelling } = context.content;
  const tail = jsonScript('sms-spelling', spellingTables(spelling));

  /** The viewer's language named in the URL, or null (a 404: not theirs, or not one). */
  const languageOf = (request: FastifyRequest, lang: string): Language | null =>
    languagesOf(sessionOf(request).viewer).find((l) => l === lang) ?? null;

  app.get('/console/texts', async (request, reply) => {
    const session = sessionOf(request);
    const langs = languagesOf(session.viewer);
    if (!langs.length)
      return notFound(reply, context.assets, session, 'Los textos son para quienes los revisan.');
    const summaries = await Promise.all(
      langs.map(async (lang) => ({
        lang,
        lessons: progressByLesson(context, await textRows(context, lang)),
      })),
    );
    const body = languagesBody(summaries, session.viewer.role === 'admin');
    return sendPage(reply, context.assets, { title: 'Textos', session, nav: 'texts', body });
  });

  app.get<{ Params: Params }>('/console/texts/:lang/:lesson', async (request, reply) =>
    lessonPage(request, reply, {}),
  );

  app.post<{ Params: Params }>(
    '/console/texts/:lang/:lesson',
    { schema: { body: textForm } },
    async (request, reply) => {
      const session = sessionOf(request);
      const lang = languageOf(request, request.params.lang);
      if (!lang || session.viewer.role === 'coordinator')
        return notFound(reply, context.assets, session, 'No hay textos aquí.');
      const id = field(request.body, 'key');
      const typed = field(request.body, 'text');
      const rows = await textRows(context, lang);
      const row = rows.find((r) => r.id === id && r.ns === request.params.lesson);
      if (!row) return notFound(reply, context.assets, session, 'Ese texto no existe.');
      const text = typed.replace(/\r\n?/g, '\n').normalize('NFC').trim();
      const problem = !text
        ? 'El texto está vacío: escriba el texto, o deje el actual.'
        : !samePlaceholders(row.source, text)
          ? `Mantenga exactamente los marcadores del español: ${placeholdersOf(row.source).join(' ')}`
          : null;
      if (problem) return lessonPage(request, reply, { refused: { id, message: problem, typed } }, 400);
      await context.review.proposals.save(lang, id, {
        text,
        reviewed: field(request.body, 'reviewed') === '1',
        by: session.viewer.name,
        at: Date.now(),
      });
      // The rows' order is the files' (saving changes only a proposal): the anchor of the text saved.
      const index = rows.filter((r) => r.ns === row.ns).findIndex((r) => r.id === id);
      return reply.redirect(
        `/console/texts/${lang}/${row.ns}?saved=${encodeURIComponent(id)}#t${index}`,
        303,
      );
    },
  );

  app.get<{ Params: { lang: string } }>('/console/texts/:lang/propuestas.xlsx', async (request, reply) => {
    const session = sessionOf(request);
    const lang = languageOf(request, request.params.lang);
    if (!lang || session.viewer.role !== 'admin')
      return notFound(reply, context.assets, session, 'Solo un administrador descarga las propuestas.');
    const rows = withProposals(await textRows(context, lang));
    const buffer = await buildWorkbook(lang, rows).xlsx.writeBuffer();
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="propuestas-${lang}.xlsx"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(buffer));
  });

  async function lessonPage(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Pick<LessonPage, 'refused'>,
    status = 200,
  ): Promise<FastifyReply> {
    const session = sessionOf(request);
    const lang = languageOf(request, request.params.lang);
    const all = lang ? await textRows(context, lang) : [];
    const lesson = progressByLesson(context, all).find((l) => l.ns === request.params.lesson);
    if (!lang || !lesson) return notFound(reply, context.assets, session, 'No hay textos aquí.');
    const rows = all.filter((r) => r.ns === lesson.ns);
    const budget = SEGMENT_BUDGET[lang];
    const view: LessonPage = {
      lang,
      lesson,
      rows,
      csrf: session.csrf,
      budget,
      count: (text) => countSms(text, lang, spelling),
      describe: describeCount,
      when: (at) => showTime(at, context.tz),
      saved: field(request.query, 'saved') || undefined,
      ...extra,
    };
    const options = {
      title: lesson.title,
      session,
      nav: 'texts' as const,
      body: lessonBody(view),
      tail: html`${tail}`,
    };
    return sendPage(reply, context.assets, options, status);
  }
}
