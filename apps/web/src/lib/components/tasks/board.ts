/**
 * The task board's arithmetic, apart from the screen: columns as ordered id lists, moves by
 * pointer (to a column and index) and by keyboard (one step), and the sentences a screen
 * reader hears. Pure, so the unit tier covers every edge.
 */

/** Ordered task ids per column, columns in board order. */
export type Columns<S extends string> = { status: S; ids: string[] }[];

export interface Position<S extends string> {
  status: S;
  /** 0-based index within the column. */
  index: number;
}

export type Step = 'up' | 'down' | 'left' | 'right';

/** Where `id` is, or null when it is on no column. */
export function positionOf<S extends string>(columns: Columns<S>, id: string): Position<S> | null {
  for (const column of columns) {
    const index = column.ids.indexOf(id);
    if (index !== -1) return { status: column.status, index };
  }
  return null;
}

/** The board with `id` taken out of its column and put at `to` (index clamped to the column). */
export function moveTo<S extends string>(columns: Columns<S>, id: string, to: Position<S>): Columns<S> {
  if (!positionOf(columns, id) || !columns.some((c) => c.status === to.status)) return columns;
  return columns.map((column) => {
    const ids = column.ids.filter((x) => x !== id);
    if (column.status !== to.status) return ids.length === column.ids.length ? column : { status: column.status, ids };
    const index = Math.max(0, Math.min(to.index, ids.length));
    return { status: column.status, ids: [...ids.slice(0, index), id, ...ids.slice(index)] };
  });
}

/**
 * One keyboard step: up and down within the column (stopping at its ends), left and right to
 * the neighbouring column at the same height (or its end). Null when the step goes nowhere.
 */
export function step<S extends string>(columns: Columns<S>, id: string, direction: Step): Position<S> | null {
  const at = positionOf(columns, id);
  if (!at) return null;
  const c = columns.findIndex((col) => col.status === at.status);
  const column = columns[c]!;
  if (direction === 'up') return at.index > 0 ? { status: at.status, index: at.index - 1 } : null;
  if (direction === 'down') return at.index < column.ids.length - 1 ? { status: at.status, index: at.index + 1 } : null;
  const next = columns[direction === 'left' ? c - 1 : c + 1];
  if (!next) return null;
  return { status: next.status, index: Math.min(at.index, next.ids.length) };
}

/** True when the two boards hold the same ids in the same places. */
export function sameBoard<S extends string>(a: Columns<S>, b: Columns<S>): boolean {
  return a.length === b.length && a.every((col, i) => col.status === b[i]?.status && col.ids.join() === b[i]?.ids.join());
}

/** The column `id` ends up in, as the reorder request wants it: the status and every id in order. */
export function columnOf<S extends string>(columns: Columns<S>, id: string): { status: S; taskIds: string[] } | null {
  const at = positionOf(columns, id);
  if (!at) return null;
  return { status: at.status, taskIds: [...columns.find((c) => c.status === at.status)!.ids] };
}

/**
 * Index in a column where a pointer at `y` drops, given the vertical middles of the column's
 * other cards (top to bottom): before the first card whose middle is below the pointer.
 */
export function dropIndex(middles: readonly number[], y: number): number {
  const i = middles.findIndex((m) => y < m);
  return i === -1 ? middles.length : i;
}

/** What a screen reader hears while a task is moved. */
export const announce = {
  lifted: (title: string, where: string, index: number, count: number): string =>
    `Picked up ${title}, in ${where}, position ${index + 1} of ${count}. Arrow keys move it, Space drops it, Escape cancels.`,
  moved: (title: string, where: string, index: number, count: number): string => `${title}: ${where}, position ${index + 1} of ${count}.`,
  dropped: (title: string, where: string, index: number, count: number): string =>
    `Dropped ${title} in ${where}, position ${index + 1} of ${count}.`,
  cancelled: (title: string, where: string, index: number): string => `Move cancelled. ${title} is back in ${where}, position ${index + 1}.`,
  edge: (title: string, direction: Step): string => `${title} cannot go further ${direction}.`,
};
