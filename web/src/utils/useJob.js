// Follows a background job (GET /jobs/{id}) until it is done or failed.
//   const job = useJob(); job.follow(id)   → job.info.value is the job JSON, job.percent.value 0–100
// Polls every second; leaving the page stops polling (the job keeps running on the server).
import { computed, onBeforeUnmount, ref } from 'vue'
import { get } from '../api.js'

export function useJob({ interval = 1000, onDone } = {}) {
  const info = ref(null)
  let timer = null
  let stopped = false

  const percent = computed(() => {
    const j = info.value
    if (!j) return 0
    if (j.state === 'done') return 100
    if (!j.total) return 0
    return Math.min(99, Math.floor((j.done * 100) / j.total))
  })
  const finished = computed(() => !!info.value && (info.value.state === 'done' || info.value.state === 'failed'))

  async function tick(id) {
    try {
      info.value = await get(`/jobs/${encodeURIComponent(id)}`, undefined, { silent: true })
    } catch (e) {
      info.value = { id, state: 'failed', message: e.message }
    }
    if (stopped) return
    if (finished.value) {
      if (onDone) onDone(info.value)
    } else {
      timer = setTimeout(() => tick(id), interval)
    }
  }
  function follow(id) {
    clearTimeout(timer)
    info.value = { id, state: 'queued', done: 0, total: 0 }
    return tick(id)
  }
  onBeforeUnmount(() => { stopped = true; clearTimeout(timer) })
  return { info, percent, finished, follow }
}
