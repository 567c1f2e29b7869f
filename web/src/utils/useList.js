// A paged list page: filters + GET path → { total, items } with page sizes 20/50/100.
//   const L = useList('/warnings', { level: '', month: '' })
//   <el-table :data="L.items.value" v-loading="L.loading.value"> … <Pager :list="L" />
// L.search() goes back to page 1; L.reset() clears the filters to their initial values.
import { reactive, ref } from 'vue'
import { get } from '../api.js'

export function useList(path, initial = {}, { pageSize = 20, extra } = {}) {
  const filters = reactive({ ...initial })
  const items = ref([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  const loaded = ref(false) // true after the first answer: empty-text can tell "none" from "loading"

  async function load() {
    loading.value = true
    try {
      const r = await get(typeof path === 'function' ? path() : path, { ...filters, page: page.value, page_size: size.value })
      items.value = (r && r.items) || []
      total.value = (r && r.total) || 0
      if (extra) extra(r)
    } catch {
      items.value = []
      total.value = 0
    } finally {
      loading.value = false
      loaded.value = true
    }
  }
  function search() { page.value = 1; return load() }
  function reset() { Object.assign(filters, initial); return search() }
  function setPage(p) { page.value = p; return load() }
  function setSize(s) { size.value = s; page.value = 1; return load() }
  return { filters, items, total, page, size, loading, loaded, load, search, reset, setPage, setSize }
}
