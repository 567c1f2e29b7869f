// The one way views talk to the server (docs/internals/api.md):
//   import { get, post, put, del, upload, apiUrl } from '@/api.js'
//   const page = await get('/households', { q, page: 1, page_size: 20 })
// Errors are shown as an ElMessage with the server's Chinese message and rethrown as ApiError
// (pass { silent: true } to show nothing); a 401 clears the session and goes to the login page.
import { ElMessage } from 'element-plus'
import { session, setUser } from './session.js'
import router from './router.js'

const BASE = '/api/v1'

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message)
    this.status = status
    this.code = code
    this.field = field
  }
}

const FALLBACK = {
  400: '请求有误', 401: '请先登录', 403: '没有权限执行此操作', 404: '记录不存在或不在您的管辖范围内',
  405: '不支持的操作', 409: '操作冲突，请刷新后重试', 413: '文件或内容过大', 422: '输入不符合规定',
  429: '尝试次数过多，请稍后再试', 500: '服务器内部错误，请联系管理员',
}

// '/households' + { q: 'x', page: 1 } → '/api/v1/households?q=x&page=1' (empty values dropped).
export function apiUrl(path, query) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') qs.append(k, v)
  }
  const s = qs.toString()
  return BASE + path + (s ? '?' + s : '')
}

function onUnauthenticated() {
  setUser(null)
  const cur = router.currentRoute.value
  if (cur.name !== 'login') router.replace({ name: 'login', query: { redirect: cur.fullPath } })
}

function fail(status, body, silent, redirect = true) {
  const e = body && body.error
  const err = new ApiError(status, e ? e.code : 'HTTP_' + status,
    (e && e.message) || FALLBACK[status] || `请求失败（${status}）`, e && e.field)
  if (status === 401 && err.code === 'UNAUTHENTICATED') { if (redirect) onUnauthenticated() }
  else if (!silent) ElMessage.error(err.message)
  return err
}

// opts: query (object), body (JSON), silent (no message), redirect (false: a 401 does not go to
// the login page; the router guard's own session check uses it).
export async function api(method, path, { query, body, silent = false, redirect = true } = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin' }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (method !== 'GET' && session.user) headers['X-CSRF-Token'] = session.user.csrf_token
  let res
  try {
    res = await fetch(apiUrl(path, query), init)
  } catch {
    if (!silent) ElMessage.error('无法连接服务器，请检查网络')
    throw new ApiError(0, 'NETWORK', '无法连接服务器')
  }
  const text = await res.text()
  let data = null
  if (text) {
    try { data = JSON.parse(text) } catch { data = null }
  }
  if (!res.ok) throw fail(res.status, data, silent, redirect)
  return data
}

export const get = (path, query, opts) => api('GET', path, { ...opts, query })
export const post = (path, body, opts) => api('POST', path, { ...opts, body })
export const put = (path, body, opts) => api('PUT', path, { ...opts, body })
export const del = (path, opts) => api('DELETE', path, opts)

// Sends a file as the raw request body (POST /imports); onProgress(percent 0–100) as it goes.
export function upload(path, query, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', apiUrl(path, query))
    xhr.withCredentials = true
    if (session.user) xhr.setRequestHeader('X-CSRF-Token', session.user.csrf_token)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(Math.round((ev.loaded * 100) / ev.total))
    }
    xhr.onload = () => {
      let data = null
      try { data = JSON.parse(xhr.responseText) } catch { data = null }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data)
      else reject(fail(xhr.status, data, false))
    }
    xhr.onerror = () => {
      ElMessage.error('上传中断，请检查网络后重试')
      reject(new ApiError(0, 'NETWORK', '上传中断'))
    }
    xhr.send(file)
  })
}

// Restores the session after a reload; null when not logged in.
export async function loadSession() {
  try {
    setUser(await get('/session', undefined, { silent: true, redirect: false }))
  } catch {
    setUser(null)
  }
  return session.user
}

export async function login(username, password) {
  const u = await post('/session', { username, password }, { silent: true })
  setUser(u)
  return u
}

export async function logout() {
  try { await del('/session', { silent: true }) } catch { /* the session may be gone already */ }
  setUser(null)
  router.replace({ name: 'login' })
}
