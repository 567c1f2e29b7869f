// The caller's saved form drafts (GET/PUT/DELETE /drafts, api.md): kind `form1` or `apply`.
import { get } from '../../api.js'

// Drafts of one kind, newest first.
export async function listDrafts(kind) {
  const r = await get('/drafts')
  const list = Array.isArray(r) ? r : (r && r.items) || []
  return list.filter((d) => !kind || d.kind === kind)
    .sort((a, b) => String(b.saved_at).localeCompare(String(a.saved_at)))
}

// A new key: the kind, the time and a little randomness (two tabs saving at once).
export function newDraftKey(kind) {
  return `${kind}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
}
