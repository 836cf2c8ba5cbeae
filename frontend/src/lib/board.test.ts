import { describe, it, expect } from 'vitest'
import { byColumn, rankAt, isOverdue, mine, forSide, endRank } from './board'
import type { Task } from './api'

const task = (id: string, status: Task['status'], rank: number, extra: Partial<Task> = {}): Task => ({
  id, incident_id: 'i', title: id, description: '', assignee: '', due_at: '', status, blocked_reason: '',
  links: [], rank, created_at: '', created_by: 'Ana', revision: 1, ...extra,
})

describe('board', () => {
  it('groups by column in rank order', () => {
    const cols = byColumn([task('b', 'todo', 2), task('a', 'todo', 1), task('c', 'blocked', 1)])
    expect(cols.todo.map((t) => t.id)).toEqual(['a', 'b'])
    expect(cols.blocked.map((t) => t.id)).toEqual(['c'])
    expect(cols.done).toEqual([])
  })

  it('ranks a drop between, before and after its neighbours', () => {
    const col = [task('a', 'todo', 1), task('b', 'todo', 2)]
    expect(rankAt(col, 1)).toBe(1.5)
    expect(rankAt(col, 0)).toBe(0)
    expect(rankAt(col, 2)).toBe(3)
    expect(rankAt([], 0)).toBe(1)
  })

  it('marks overdue tasks that are not done', () => {
    const now = Date.parse('2026-11-22T12:00:00Z')
    expect(isOverdue(task('a', 'doing', 1, { due_at: '2026-11-22T11:00:00Z' }), now)).toBe(true)
    expect(isOverdue(task('a', 'done', 1, { due_at: '2026-11-22T11:00:00Z' }), now)).toBe(false)
    expect(isOverdue(task('a', 'todo', 1, { due_at: '2026-11-22T13:00:00Z' }), now)).toBe(false)
    expect(isOverdue(task('a', 'todo', 1), now)).toBe(false)
  })

  it('filters mine case-insensitively', () => {
    expect(mine([task('a', 'todo', 1, { assignee: 'Ana ' }), task('b', 'todo', 2, { assignee: 'Bo' })], 'ana').map((t) => t.id)).toEqual(['a'])
  })

  it('lists my open tasks, then the unassigned ones, overdue first in each', () => {
    const now = Date.parse('2026-11-22T12:00:00Z')
    const list = forSide([
      task('nobody-later', 'todo', 1, { due_at: '2026-11-22T15:00:00Z' }),
      task('mine-no-due', 'doing', 2, { assignee: 'Ana' }),
      task('bo', 'todo', 3, { assignee: 'Bo' }),
      task('nobody-late', 'blocked', 4, { due_at: '2026-11-22T11:00:00Z' }),
      task('mine-done', 'done', 5, { assignee: 'Ana' }),
      task('mine-soon', 'todo', 6, { assignee: 'ana', due_at: '2026-11-22T13:00:00Z' }),
      task('nobody-done', 'done', 7),
    ], 'Ana', now)
    expect(list.map((t) => t.id)).toEqual(['mine-soon', 'mine-no-due', 'nobody-late', 'nobody-later'])
  })

  it('ranks a task last in a column, itself left out', () => {
    const tasks = [task('a', 'todo', 1), task('b', 'todo', 2), task('c', 'done', 5)]
    expect(endRank(tasks, tasks[0], 'done')).toBe(6)
    expect(endRank(tasks, tasks[1], 'todo')).toBe(2) // b is already last: one past a
    expect(endRank(tasks, tasks[0], 'blocked')).toBe(1)
  })
})
