// Choices of the 附件1 / 附件2 forms, exactly the words the importer and
// `doudi assess` accept (src/ingest/schemas.c) and the procedure's tables
// (src/workflow/rules.c). Codes are what the API takes; names what users see.
import { CATEGORIES, categoryName } from '../../utils/format.js'

export const HUKOU = ['农业', '非农业']
export const RELATIONS = ['户主', '配偶', '子女', '父母', '孙子女', '兄弟姐妹', '祖父母', '儿媳', '女婿', '其他']
export const GENDERS = ['男', '女']
export const ID_TYPES = ['居民身份证', '户口簿', '港澳台居民居住证', '外国人永久居留身份证']
export const POLITICAL = ['群众', '中共党员', '中共预备党员', '共青团员', '民主党派', '无党派人士']
export const EDUCATION = ['文盲或半文盲', '学龄前', '小学', '初中', '高中', '中专', '大专', '本科及以上']
export const STUDENT = ['非在校生', '学前教育', '小学', '初中', '高中', '中职', '高职', '大学本科', '研究生']
export const HEALTH = ['健康', '长期慢性病', '患有大病', '残疾']
export const LABOR = ['普通劳动力', '技能劳动力', '弱劳动力或半劳动力', '丧失劳动力', '无劳动力']
export const DISABILITY_TYPES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重']
export const DISABILITY_GRADES = [
  { value: 1, label: '一级' }, { value: 2, label: '二级' }, { value: 3, label: '三级' }, { value: 4, label: '四级' },
]
export const MARITAL = ['未婚', '已婚', '离异', '丧偶']
export const FP_SUBTYPES = ['脱贫不稳定户', '边缘易致贫户', '突发严重困难户']
export const RISK_TYPES = ['因病', '因学', '因安全住房', '因安全饮水', '因残', '因自然灾害', '因意外事故',
  '因产业项目失败', '因务工就业不稳', '缺劳动力', '其他']

// The member's five insurance flags and the TK/DB flags (附件1 columns).
export const MEMBER_FLAGS = [
  { key: 'ins_resident_medical', label: '城乡居民医保' },
  { key: 'ins_employee_medical', label: '职工医保' },
  { key: 'ins_critical_illness', label: '大病保险' },
  { key: 'ins_resident_pension', label: '城乡居民养老' },
  { key: 'ins_employee_pension', label: '职工养老' },
  { key: 'is_tekun', label: '特困人员' },
  { key: 'is_dibao', label: '享受低保' },
  { key: 'orphan_guarantee', label: '孤儿/事实无人抚养' },
]

// The categories a reviewer may decide (FP is a tag, never decided here).
export const DECIDABLE = CATEGORIES.filter((c) => c.code !== 'FP')
export function catLabel(code) {
  return code === 'NONE' ? '不符合任何类别' : categoryName(code)
}

// The 19 needs of 附件2 (dd_flow_needs: code + name, same order as the form).
export const NEEDS = [
  { code: 'dibao', name: '最低生活保障' },
  { code: 'tekun', name: '特困供养' },
  { code: 'temporary', name: '临时救助' },
  { code: 'elderly_allowance', name: '高龄津贴' },
  { code: 'care_subsidy', name: '失能补贴' },
  { code: 'funeral', name: '殡葬救助' },
  { code: 'heating', name: '取暖救助' },
  { code: 'disability_subsidy', name: '残疾补贴' },
  { code: 'orphan', name: '孤儿救助' },
  { code: 'medical', name: '医疗救助' },
  { code: 'disaster', name: '受灾人员救助' },
  { code: 'employment', name: '就业救助' },
  { code: 'education', name: '教育救助' },
  { code: 'housing', name: '住房救助' },
  { code: 'charity', name: '慈善资金救助' },
  { code: 'legal_aid', name: '法律援助和司法救助' },
  { code: 'traffic_fund', name: '道路交通事故社会救助基金一次性困难救助' },
  { code: 'social_service', name: '社会服务类救助（访视照料、心理疏导、社会融入）' },
  { code: 'other', name: '其他' },
]

export const CHANNELS = [
  { code: 'window', name: '窗口' },
  { code: 'village', name: '村代办' },
  { code: 'online', name: '网上' },
  { code: 'discovered', name: '主动发现' },
]
export const KINDS = [
  { code: 'entry', name: '申请认定' },
  { code: 'exit', name: '退出' },
]

// The procedure (workflow.md), in order; `rejected` ends it early.
export const STATES = [
  { code: 'submitted', name: '申请' },
  { code: 'village_review', name: '村社评议' },
  { code: 'economic_check', name: '家庭经济状况核对' },
  { code: 'home_visit', name: '入户调查' },
  { code: 'first_review', name: '初审' },
  { code: 'public_notice', name: '公示' },
  { code: 'decision', name: '审核确认' },
  { code: 'published', name: '公开' },
  { code: 'rejected', name: '不予认定' },
]
export function stateName(code) {
  const s = STATES.find((x) => x.code === code)
  return s ? s.name : code
}
// Tag colours: pending work neutral, the notice period amber, done green, refused red.
export function stateTagType(code) {
  if (code === 'rejected') return 'danger'
  if (code === 'decision' || code === 'published') return 'success'
  if (code === 'public_notice') return 'warning'
  return 'primary'
}
