// Display formats shared by every view (UI.md): money "12,345.67 元", counts "12,345",
// dates YYYY-MM-DD, masked IDs, category and warning-level tags. '—' for a missing value.

const DASH = '—'

function group3(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

// Yuan string from the API ("1234.5", "-3", "1234.50") → "1,234.50 元". Pure string work:
// money is never a float here either.
export function money(v, unit = true) {
  if (v === undefined || v === null || v === '') return DASH
  const s = String(v).trim()
  const m = /^(-?)(\d+)(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return s
  const out = (m[1] ? '-' : '') + group3(m[2].replace(/^0+(?=\d)/, '')) + '.' + (m[3] || '').padEnd(2, '0')
  return unit ? out + ' 元' : out
}

// 12345 → "12,345"
export function count(n) {
  if (n === undefined || n === null || n === '') return DASH
  const v = Number(n)
  if (!Number.isFinite(v)) return String(n)
  return (v < 0 ? '-' : '') + group3(String(Math.trunc(Math.abs(v))))
}

function pad(n) {
  return String(n).padStart(2, '0')
}

// "2025-03-07…" / epoch seconds / Date → "2025-03-07"; "2025-03-07T10:20:30" with time=true
// → "2025-03-07 10:20".
export function date(v, time = false) {
  if (v === undefined || v === null || v === '') return DASH
  // A plain date or a local time is shown as written; a UTC timestamp ("…Z", "+08:00") in the
  // browser's time zone.
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && !/(Z|[+-]\d{2}:?\d{2})$/.test(v)) {
    return time && v.length >= 16 ? v.slice(0, 10) + ' ' + v.slice(11, 16) : v.slice(0, 10)
  }
  const d = v instanceof Date ? v : new Date(typeof v === 'number' && v < 1e12 ? v * 1000 : v)
  if (Number.isNaN(d.getTime())) return String(v)
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  return time ? `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}` : day
}

// "2025-03" → "2025年3月"
export function month(v) {
  const m = /^(\d{4})-(\d{2})$/.exec(v || '')
  return m ? `${m[1]}年${Number(m[2])}月` : v || DASH
}

// Full or masked 18-character ID → "110105********002X" (the server masks already; this is
// for values typed by the user, e.g. echoing a form).
export function maskId(id) {
  if (!id) return DASH
  const s = String(id)
  if (s.includes('*') || s.length < 10) return s
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4)
}

export const CATEGORIES = [
  { code: 'TK', name: '特困', full: '特困人员' },
  { code: 'DB', name: '低保', full: '最低生活保障对象' },
  { code: 'BY', name: '低保边缘', full: '最低生活保障边缘家庭' },
  { code: 'GZ', name: '刚性支出困难', full: '刚性支出困难家庭' },
  { code: 'QT', name: '其他低收入', full: '其他低收入人口' },
  { code: 'FP', name: '防返贫监测', full: '防止返贫监测对象' },
]
const CAT = Object.fromEntries(CATEGORIES.map((c) => [c.code, c]))

export function categoryName(code) {
  return (CAT[code] && CAT[code].name) || code || DASH
}

// Warning levels as el-tag props: <el-tag v-bind="levelTag(w.level)">{{ levelTag(w.level).label }}</el-tag>
// or simply <LevelTag :level="w.level" />.
export const LEVELS = [
  { code: 'red', label: '红色预警', type: 'danger', color: '#d93026' },
  { code: 'yellow', label: '黄色预警', type: 'warning', color: '#e6a23c' },
  { code: 'blue', label: '蓝色预警', type: 'primary', color: '#409eff' },
]
const LEV = Object.fromEntries(LEVELS.map((l) => [l.code, l]))
export function levelTag(level) {
  return LEV[level] || { code: level, label: level || DASH, type: 'info', color: '#909399' }
}

export const WARNING_STATUS = { new: '新预警', verifying: '核查中', closed: '已办结' }
export function warningStatus(s) {
  return WARNING_STATUS[s] || s || DASH
}

export const JOB_STATE = { queued: '排队中', running: '运行中', done: '已完成', failed: '失败' }
export function jobState(s) {
  return JOB_STATE[s] || s || DASH
}
