import { and, eq } from 'drizzle-orm';
import { anyOf, type Tx } from '@atelier/platform';
import { members, tasks } from '../db/schema.js';

/** The uploaders' names from the member replica (a removed member keeps theirs). */
export async function selectMemberNames(tx: Tx, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx.select({ userId: members.userId, name: members.name }).from(members).where(anyOf(members.userId, userIds));
  return new Map(rows.map((r) => [r.userId, r.name]));
}

/** Every task of a project, deleted ones too: their attachments go when the project does. */
export async function selectTaskIdsOfProject(tx: Tx, projectId: string): Promise<string[]> {
  const rows = await tx.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.projectId, projectId)));
  return rows.map((r) => r.id);
}
