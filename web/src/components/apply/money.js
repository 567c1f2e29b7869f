// Money as the API carries it: a yuan string with at most two decimals. Never a
// float: the text is checked and reformatted digit by digit.

const MONEY = /^\d{1,13}(\.\d{1,2})?$/

// Strips the thousands separators and spaces a user may type or paste.
export function moneyClean(s) {
  return String(s ?? '').replace(/[,，\s]/g, '')
}

// null when the text is a valid amount (or empty), else the Chinese reason.
export function moneyError(s) {
  const t = moneyClean(s)
  if (t === '') return null
  if (t.startsWith('-')) return '金额不能为负数'
  if (/^\d+\.\d{3,}$/.test(t)) return '金额最多两位小数'
  if (!MONEY.test(t)) return '请输入金额（元），如 1234.50'
  return null
}

// An element-plus form rule for a money field (optional unless told).
export function moneyRule(required = false) {
  return {
    trigger: ['change', 'blur'],
    validator: (_rule, value, cb) => {
      if (required && moneyClean(value) === '') return cb(new Error('请输入金额'))
      const e = moneyError(value)
      e ? cb(new Error(e)) : cb()
    },
  }
}
