/**
 * The admin API for groups: coordinators, groups and the lessons a quiz can use. Every route needs
 * `Authorization: Bearer $ADMIN_TOKEN`. The plugin takes its stores as options rather than reading
 * app decorations, so a test builds it on a bare Fastify; index.ts wires it into the app.
 * It is deliberately not wrapped in fastify-plugin: its strict input handling (strict-input.ts)
 * stays inside its own context.
 */
import type { FastifyInstance } from 'fastify';
import type { CoordinatorStore } from '../../groups/coordinator-store.js';
import type { GroupStore } from '../../groups/group-store.js';
import type { QuizRunner } from '../../groups/quiz/quiz-runner.js';
import type { Course } from '../../flows/course.js';
import type { Translator } from '../../i18n/translator.js';
import { coordinatorsRoute } from './coordinators.js';
import { groupsRoute } from './groups.js';
import { lessonsRoute } from './lessons.js';
import { quizzesRoute } from './quizzes.js';
import { useStrictInput } from '../json-api/strict-input.js';

export interface AdminApiOptions {
  adminToken: string | undefined;
  coordinators: CoordinatorStore;
  groups: GroupStore;
  course: Pick<Course, 'lessons'>;
  translator: Pick<Translator, 't'>;
  quizzes: Pick<QuizRunner, 'start'> | null;
}

export async function adminGroupsApi(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  useStrictInput(app);
  await app.register(coordinatorsRoute, options);
  await app.register(groupsRoute, options);
  await app.register(lessonsRoute, options);
  await app.register(quizzesRoute, options);
}
