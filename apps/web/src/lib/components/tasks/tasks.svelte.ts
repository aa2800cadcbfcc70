import type { ListResponse, Task } from '@atelier/contracts';
import { useQuery } from '$lib/data/query.svelte';

/** The most tasks one request brings (the contract's list limit); a board shows them all. */
export const BOARD_LIMIT = 200;

/**
 * Every task of a project in board order, as local state the board and drawer change in place
 * (a reload brings the server's view again). Call while a component initialises.
 */
export function useProjectTasks(projectId: () => string) {
  const query = useQuery<ListResponse<Task>>(() => ({
    path: `/api/projects/${encodeURIComponent(projectId())}/tasks`,
    query: { limit: BOARD_LIMIT },
  }));
  // The server's list until the board changes it; a reload brings the server's again.
  let tasks = $derived<Task[]>(query.data?.data ?? []);
  return {
    get tasks(): Task[] {
      return tasks;
    },
    set tasks(value: Task[]) {
      tasks = value;
    },
    get loaded(): boolean {
      return query.data !== null;
    },
    get loading(): boolean {
      return query.loading;
    },
    get message(): string | null {
      return query.message;
    },
    /** More tasks than one request brings: the board says so. */
    get truncated(): boolean {
      return query.data !== null && query.data.total > query.data.data.length;
    },
    get total(): number {
      return query.data?.total ?? 0;
    },
    reload: () => query.reload(),
    replace(task: Task): void {
      tasks = tasks.map((t) => (t.id === task.id ? task : t));
    },
    remove(id: string): void {
      tasks = tasks.filter((t) => t.id !== id);
    },
  };
}
