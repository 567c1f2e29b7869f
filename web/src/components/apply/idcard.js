// Resident ID numbers (GB 11643), checked in the browser as they are typed.
// The server checks again (src/core/id.c); this only gives the user the answer at once.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

// The check character of the first 17 digits.
export function idCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK[sum % 11]
}

function validDate(y, m, d) {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

// Parses an ID as typed. Returns {ok:true, id, sex, birth} with the 18-character
// form (a 15-digit ID converted: "19" inserted and the check character added,
// lower-case x upper-cased), or {ok:false, error} with the Chinese reason; an
// empty input is {ok:false, empty:true}.
export function parseId(raw, today = new Date()) {
  const s = String(raw ?? '').trim().toUpperCase()
  if (!s) return { ok: false, empty: true, error: '请输入证件号码' }
  let id = s
  if (/^\d{15}$/.test(s)) {
    const body = s.slice(0, 6) + '19' + s.slice(6)
    id = body + idCheckChar(body)
  } else if (s.length !== 18) {
    return { ok: false, error: `身份证号应为 18 位（或 15 位旧号），现为 ${s.length} 位` }
  } else if (!/^\d{17}[\dX]$/.test(s)) {
    return { ok: false, error: '身份证号只能是数字，末位可为 X' }
  }
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14))
  if (!validDate(y, m, d) || y < 1880) return { ok: false, error: '身份证号中的出生日期不存在' }
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
  const t = today
  const todayText = `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`
  if (birth > todayText) return { ok: false, error: '身份证号中的出生日期晚于今天' }
  const want = idCheckChar(id)
  if (id[17] !== want) return { ok: false, error: `身份证号校验位错误（按前 17 位应为 ${want}）` }
  return { ok: true, id, sex: Number(id[16]) % 2 === 1 ? '男' : '女', birth }
}

// Element-plus form rules for an ID field: while typing (trigger change) only what
// is already certain is an error (a bad character, too long, a complete 18 characters
// that fail); on blur and on submit everything, an incomplete number included.
export function idRules(required = true) {
  const full = (value, cb) => {
    const r = parseId(value)
    if (r.ok || (r.empty && !required)) cb()
    else cb(new Error(r.error))
  }
  return [
    {
      trigger: 'change',
      validator: (_rule, value, cb) => {
        const s = String(value ?? '').trim()
        if (s.length === 18 || s.length > 18 || /[^\dxX]/.test(s) || /[xX]./.test(s)) full(s, cb)
        else cb()
      },
    },
    { trigger: 'blur', validator: (_rule, value, cb) => full(value, cb) },
  ]
}
