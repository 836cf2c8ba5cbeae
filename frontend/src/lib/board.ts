// The task board's logic, apart from the view: columns, ranks for a drop, overdue, filters.
import type { Task, TaskStatus } from './api'

export const columns: { status: TaskStatus; label: string }[] = [
  { status: 'todo', label: 'To do' },
  { status: 'doing', label: 'In progress' },
  { status: 'blocked', label: 'Blocked' },
  { status: 'done', label: 'Done' },
]

export function columnLabel(status: TaskStatus): string {
  return columns.find((c) => c.status === status)?.label ?? status
}

/** byColumn groups the tasks by column, each column in rank order. */
export function byColumn(tasks: Task[]): Record<TaskStatus, Task[]> {
  const out: Record<TaskStatus, Task[]> = { todo: [], doing: [], blocked: [], done: [] }
  for (const t of tasks) (out[t.status] ?? out.todo).push(t)
  for (const list of Object.values(out)) list.sort((a, b) => a.rank - b.rank)
  return out
}

/** rankAt is the rank that puts a task at index in a column (the column without that task):
 * halfway between its neighbours, one past the last, one before the first. */
export function rankAt(column: Task[], index: number): number {
  const before = column[index - 1]?.rank
  const after = column[index]?.rank
  if (before === undefined && after === undefined) return 1
  if (before === undefined) return after! - 1
  if (after === undefined) return before + 1
  return (before + after) / 2
}

/** isOverdue: past its due time and not done. */
export function isOverdue(t: Task, now: number): boolean {
  return !!t.due_at && t.status !== 'done' && Date.parse(t.due_at) < now
}

/** mine keeps the tasks assigned to the person (case-insensitive). */
export function mine(tasks: Task[], who: string): Task[] {
  const me = who.trim().toLowerCase()
  return tasks.filter((t) => t.assignee.trim().toLowerCase() === me)
}

/** forSide is the side window's "My tasks": the open tasks that are mine or nobody's — mine
 * first, then the unassigned ones a responder could pick up; in each, overdue first, then by
 * due time (none last). */
export function forSide(tasks: Task[], who: string, now: number): Task[] {
  const me = who.trim().toLowerCase()
  const group = (t: Task) => (t.assignee.trim().toLowerCase() === me ? 0 : t.assignee.trim() === '' ? 1 : 2)
  return tasks
    .filter((t) => t.status !== 'done' && group(t) < 2)
    .sort((a, b) => group(a) - group(b) ||
      Number(isOverdue(b, now)) - Number(isOverdue(a, now)) ||
      dueOrder(a) - dueOrder(b))
}

// No due time sorts last. (Not localeCompare of the strings: in a locale's collation "~" can
// come before digits.)
const dueOrder = (t: Task) => (t.due_at ? Date.parse(t.due_at) : Infinity)

/** endRank is the rank that puts a task last in a column. */
export function endRank(tasks: Task[], t: Task, status: TaskStatus): number {
  const column = byColumn(tasks)[status].filter((x) => x.id !== t.id)
  return rankAt(column, column.length)
}
