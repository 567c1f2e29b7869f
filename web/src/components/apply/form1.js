// The 附件1 form's model: a blank form, and the form → `doudi assess` input
// (FORMATS.md §2 keys) that POST /assess takes and POST /applications carries as
// `household`. Drafts store the model itself (kind `form1`).

export const MONEY_FIELDS = [
  { key: 'wage_income', label: '工资性收入' },
  { key: 'business_income', label: '生产经营性收入' },
  { key: 'property_income', label: '财产性收入' },
  { key: 'transfer_income', label: '转移性收入' },
  { key: 'insurance_payout', label: '理赔收入' },
  { key: 'business_expense', label: '生产经营性支出' },
  { key: 'medical_self_paid', label: '合规自付支出' },
  { key: 'education_expense', label: '教育支出' },
  { key: 'rehab_expense', label: '康复支出' },
  { key: 'fin_assets', label: '金融资产' },
  { key: 'vehicle_value', label: '车辆价值' },
]

export const GUARANTEES = [
  { key: 'housing_unsafe', label: '是否住房出现安全问题' },
  { key: 'dropout', label: '是否义务教育阶段适龄儿童少年失学辍学' },
  { key: 'water_unsafe', label: '是否饮水出现安全问题' },
  { key: 'uninsured', label: '是否有家庭成员未参加城乡居民（职工）基本医疗保险' },
]

export function blankMember(relation = '') {
  return {
    name: '', id_type: '居民身份证', id_number: '', gender: '', birth: '', relation,
    ethnicity: '汉族', political: '群众', education: '', student_status: '非在校生',
    health: '健康', labor: '', wage_income: '', disability_type: '', disability_grade: null,
    ins_resident_medical: true, ins_employee_medical: false, ins_critical_illness: true,
    ins_resident_pension: false, ins_employee_pension: false,
    is_tekun: false, is_dibao: false, orphan_guarantee: false,
    work_province: '', work_city: '', work_county: '', work_township: '', work_months: null, phone: '',
  }
}

export function blankObligor() {
  return { name: '', relation: '', marital: '', health: '', occupation: '', monthly_income: '', id_number: '', phone: '' }
}

export function blankForm() {
  const f = {
    household_no: '', region_code: '', address: '', hukou_type: '农业', phone: '',
    members: [blankMember('户主')], obligors: [],
    housing_unsafe: false, dropout: false, water_unsafe: false, uninsured: false,
    categories: [], is_tuopin: null, fp_subtype: '', whole_no_labor: false, risk_types: [],
    survey_summary: '', filler: '', filled_on: '',
  }
  for (const m of MONEY_FIELDS) f[m.key] = ''
  return f
}

// Yuan text → integer fen as BigInt (0 for empty or invalid: the field's own rule reports it).
export function fen(s) {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(s ?? '').replace(/,/g, ''))
  return m ? BigInt(m[1]) * 100n + BigInt((m[2] || '').padEnd(2, '0')) : 0n
}
// Fen → yuan text with two decimals (floor for division results, as the trace shows figures).
export function yuan(f) {
  const neg = f < 0n
  const a = neg ? -f : f
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`
}

// 家庭纯收入 N = G − 生产经营性支出 − 合规自付支出 (DOMAIN.md §2.1), and per head over all members.
export function netIncome(f) {
  const g = ['wage_income', 'business_income', 'property_income', 'transfer_income', 'insurance_payout']
    .reduce((s, k) => s + fen(f[k]), 0n)
  const n = g - fen(f.business_expense) - fen(f.medical_self_paid)
  const m = BigInt(f.members.length || 1)
  return { gross: g, net: n, perHead: n / m }
}

function put(out, key, v) {
  if (v === '' || v === null || v === undefined) return
  if (Array.isArray(v) && v.length === 0) return
  out[key] = v
}

// The head: the member whose relation is 户主, else the first.
export function headOf(f) {
  return f.members.find((m) => m.relation === '户主') || f.members[0]
}

// The form as `doudi assess` input. Empty fields are left out (optional in the CSV
// schema); display-only fields (birth, filler) are not sent.
export function toAssessInput(f) {
  const out = {}
  for (const k of ['household_no', 'region_code', 'address', 'hukou_type', 'phone', 'fp_subtype', 'survey_summary'])
    put(out, k, f[k])
  const head = headOf(f)
  put(out, 'head_id', head && head.id_number)
  for (const m of MONEY_FIELDS) put(out, m.key, f[m.key])
  for (const g of GUARANTEES) out[g.key] = !!f[g.key]
  put(out, 'categories', f.categories)
  put(out, 'risk_types', f.risk_types)
  if (f.is_tuopin !== null && f.is_tuopin !== undefined) out.is_tuopin = !!f.is_tuopin
  out.whole_no_labor = !!f.whole_no_labor
  out.members = f.members.map((m) => {
    const o = {}
    for (const [k, v] of Object.entries(m)) {
      if (k === 'birth') continue
      if (k === 'disability_type' || k === 'disability_grade') continue
      put(o, k, typeof v === 'boolean' ? v : v)
    }
    // a grade only with a type: the pair describes one disability
    if (m.disability_type) {
      o.disability_type = m.disability_type
      put(o, 'disability_grade', m.disability_grade)
    }
    return o
  })
  out.obligors = f.obligors.map((o) => {
    const r = {}
    for (const [k, v] of Object.entries(o)) put(r, k, v)
    return r
  })
  return out
}

// A short title for the draft list: household number, head, village.
export function draftTitle(f) {
  const head = headOf(f)
  return [head && head.name ? `${head.name}户` : '未命名家庭', f.household_no, `${f.members.length}人`]
    .filter(Boolean).join(' · ')
}
