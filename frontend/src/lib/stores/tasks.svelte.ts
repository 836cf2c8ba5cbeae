// The active incident's task board. Every task change writes a task entry, so the board
// reloads when the timeline brings one (from any process), or shows another incident.
import { api, type Task, type TaskStatus, type TaskInput } from '../api'
import { timeline } from './timeline.svelte'

class TaskStore {
  tasks = $state<Task[]>([])
  error = $state('')
  private loading: Promise<void> | null = null
  private again = false

  /** load reads the board; a change while it reads loads it once more afterwards. */
  async load() {
    if (this.loading) {
      this.again = true
      return this.loading
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false
          this.tasks = await api.listTasks()
          this.error = ''
        } while (this.again)
      } catch (e) {
        this.tasks = []
        this.error = (e as Error).message
      } finally {
        this.loading = null
      }
    })()
    return this.loading
  }

  listen() {
    return timeline.onChange((changed) => {
      if (!changed || changed.some((e) => e.kind === 'task')) void this.load()
    })
  }

  /** put shows a task's new state at once (the change event reloads the board after). */
  put(t: Task) {
    const i = this.tasks.findIndex((x) => x.id === t.id)
    this.tasks = i < 0 ? [...this.tasks, t] : this.tasks.map((x) => (x.id === t.id ? t : x))
  }

  async add(input: TaskInput) {
    this.put(await api.addTask(input))
  }

  async move(t: Task, status: TaskStatus, rank: number, reason = '') {
    this.put(await api.moveTask(t.id, status, rank, reason))
  }

  async edit(t: Task, input: TaskInput) {
    this.put(await api.editTask(t.id, input))
  }
}

export const board = new TaskStore()
