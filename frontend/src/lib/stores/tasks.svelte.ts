// The active incident's task board, reloaded when the database changes (any process).
import { api, type Task, type TaskStatus, type TaskInput } from '../api'
import { EventDataChanged } from '../api/events'

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
    return api.on(EventDataChanged, () => void this.load())
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
