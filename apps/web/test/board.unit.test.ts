import { describe, expect, it } from 'vitest';
import { announce, columnOf, dropIndex, moveTo, positionOf, sameBoard, step, type Columns } from '../src/lib/components/tasks/board.js';

type S = 'todo' | 'in_progress' | 'done';
const board = (): Columns<S> => [
  { status: 'todo', ids: ['a', 'b', 'c'] },
  { status: 'in_progress', ids: ['d'] },
  { status: 'done', ids: [] },
];

describe('task board moves', () => {
  it('moves within a column and across columns, clamping the index', () => {
    expect(moveTo(board(), 'c', { status: 'todo', index: 0 })[0]!.ids).toEqual(['c', 'a', 'b']);
    expect(moveTo(board(), 'a', { status: 'todo', index: 99 })[0]!.ids).toEqual(['b', 'c', 'a']);
    const across = moveTo(board(), 'b', { status: 'in_progress', index: 0 });
    expect(across.map((c) => c.ids)).toEqual([['a', 'c'], ['b', 'd'], []]);
    expect(moveTo(board(), 'a', { status: 'done', index: -3 })[2]!.ids).toEqual(['a']);
  });

  it('leaves the board alone for an unknown task or column, and never duplicates or loses a task', () => {
    const b = board();
    expect(moveTo(b, 'zz', { status: 'todo', index: 0 })).toBe(b);
    expect(moveTo(b, 'a', { status: 'blocked' as S, index: 0 })).toBe(b);
    let moved = b;
    for (const [id, status, index] of [['a', 'done', 0], ['d', 'todo', 1], ['a', 'in_progress', 5], ['c', 'done', 0]] as const) {
      moved = moveTo(moved, id, { status, index });
      expect(moved.flatMap((c) => c.ids).sort()).toEqual(['a', 'b', 'c', 'd']);
    }
  });

  it('keyboard steps stop at the ends and keep the height when changing column', () => {
    expect(step(board(), 'a', 'up')).toBeNull();
    expect(step(board(), 'a', 'down')).toEqual({ status: 'todo', index: 1 });
    expect(step(board(), 'c', 'down')).toBeNull();
    expect(step(board(), 'c', 'left')).toBeNull();
    expect(step(board(), 'c', 'right')).toEqual({ status: 'in_progress', index: 1 });
    expect(step(board(), 'b', 'right')).toEqual({ status: 'in_progress', index: 1 });
    expect(step(board(), 'd', 'right')).toEqual({ status: 'done', index: 0 });
    expect(step(board(), 'd', 'left')).toEqual({ status: 'todo', index: 0 });
    expect(step(board(), 'zz', 'left')).toBeNull();
  });

  it('says where a task is and what column to send', () => {
    expect(positionOf(board(), 'c')).toEqual({ status: 'todo', index: 2 });
    expect(positionOf(board(), 'zz')).toBeNull();
    const moved = moveTo(board(), 'a', { status: 'in_progress', index: 1 });
    expect(columnOf(moved, 'a')).toEqual({ status: 'in_progress', taskIds: ['d', 'a'] });
    expect(sameBoard(board(), board())).toBe(true);
    expect(sameBoard(board(), moved)).toBe(false);
  });

  it('drops before the first card whose middle is below the pointer', () => {
    expect(dropIndex([], 10)).toBe(0);
    expect(dropIndex([50, 150, 250], 10)).toBe(0);
    expect(dropIndex([50, 150, 250], 149)).toBe(1);
    expect(dropIndex([50, 150, 250], 151)).toBe(2);
    expect(dropIndex([50, 150, 250], 900)).toBe(3);
  });

  it('announces positions counting from one', () => {
    expect(announce.lifted('Logo', 'To do', 0, 3)).toBe('Picked up Logo, in To do, position 1 of 3. Arrow keys move it, Space drops it, Escape cancels.');
    expect(announce.dropped('Logo', 'In progress', 1, 2)).toBe('Dropped Logo in In progress, position 2 of 2.');
    expect(announce.cancelled('Logo', 'To do', 0)).toBe('Move cancelled. Logo is back in To do, position 1.');
    expect(announce.edge('Logo', 'left')).toBe('Logo cannot go further left.');
  });
});
