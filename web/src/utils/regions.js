// Region names for codes, from GET /regions (cached for the page's life):
//   <RegionName :code="row.region_code" />  →  "东兴街道 白云社区居民委员会"
// Lists carry only codes; one /regions call per township seen fills the cache.
import { reactive } from 'vue'
import { get } from '../api.js'
import { session } from '../session.js'

const names = reactive({})
const loading = new Map()

function load(parent) {
  const key = parent || ''
  if (!loading.has(key)) {
    loading.set(key, get('/regions', parent ? { parent } : {}, { silent: true })
      .then((list) => { for (const r of list || []) names[r.code] = r.name })
      .catch(() => {}))
  }
  return loading.get(key)
}

// The display name of a township (9 digits) or village (12 digits) code; '' until loaded.
export function regionName(code) {
  if (!code) return ''
  const town = code.slice(0, 9)
  // a township or village user's /regions starts below their own region: its name is the session's
  const u = session.user
  if (u && u.region && u.region_name && !(u.region in names)) names[u.region] = u.region_name
  if (!(town in names)) load('')
  if (code.length > 9 && !(code in names)) load(town)
  const t = names[town] || ''
  return code.length > 9 ? [t, names[code] || ''].filter(Boolean).join(' ') : t
}
