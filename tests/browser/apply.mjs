// 信息采集 → 申请登记 → 审核: a village user fills 附件1 for a new household of two (ID check
// digit checked as typed, sex and birth date filled from the ID), previews the assessment,
// saves a draft and submits the application; village and township users take it through
// 村社评议, 家庭经济状况核对, 入户调查, 初审 and 公示 (an objection; the decision refused during
// the notice). A second application, prepared through the CLI with business dates three
// weeks back so that its notice is over, is decided (审核确认, with an override) in the UI.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TOP, BASE, login, shot, text, assert } from './lib.mjs'
import { idCheckChar } from '../../web/src/components/apply/idcard.js'

const DD = process.env.DOUDI_BIN || join(TOP, 'doudi')
const id18 = (s17) => s17 + idCheckChar(s17)
const HEAD_ID = id18('23030419600505003') // 男 (17th digit odd), 1960-05-05
const SPOUSE_ID = id18('23030419620808004') // 女, 1962-08-08
const WRONG_ID = HEAD_ID.slice(0, 17) + (HEAD_ID[17] === '0' ? '1' : '0')

const st = {} // shared between the steps: application numbers
const sel = (t) => `[data-test="${t}"]`
// element-plus puts a text input's attributes on the <input> itself
const field = (t) => `${sel(t)}:is(input, textarea), ${sel(t)} :is(input, textarea)`

// Opens an element-plus select and picks the option whose text is exactly `label`.
async function choose(page, testId, label) {
  await page.click(sel(testId))
  const opt = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
  await opt.first().click()
}

// Logs in as one of data.users in the one browser: the previous user's session is dropped.
async function as(ctx, data, who) {
  if (st.page) await st.page.close()
  await ctx.clearCookies()
  const [u, p] = data.users[who]
  st.page = await login(ctx, u, p)
  return st.page
}

async function openApp(page, appNo) {
  await page.goto(BASE + `#/review/${appNo}`)
  await page.reload() // the page may already be there, with what it loaded before
  await page.locator(sel('detail-app-no')).waitFor()
  assert((await text(page.locator(sel('detail-app-no')))) === appNo, 'the detail page shows the application')
}

async function stateOf(page) {
  return text(page.locator(sel('detail-state')))
}

// Clicks the action button for `to`, fills the dialog with `fill`, confirms and waits for the new state.
async function act(page, to, wantState, fill) {
  await page.click(sel(`act-${to}`))
  const dlg = page.locator('.el-dialog:visible')
  await dlg.waitFor()
  if (fill) await fill(dlg)
  await dlg.locator(sel('act-confirm')).click()
  if (wantState) {
    await page.locator(sel('detail-state')).filter({ hasText: wantState }).waitFor()
  }
}

function cli(args, today, input) {
  return execFileSync(DD, args, {
    env: { ...process.env, DOUDI_TODAY: today, ASAN_OPTIONS: 'detect_leaks=0' },
    input, encoding: 'utf8',
  }).trim()
}

// The local date n days back, as the server's "today" is (DOUDI_TODAY takes the same form).
function daysAgo(n) {
  const d = new Date(Date.now() - n * 86400000)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

export const tests = [
  {
    name: 'village user: 附件1 checks ID check digits as typed and fills sex and birth date',
    stopOnFail: true,
    fn: async ({ ctx, data }) => {
      const page = await as(ctx, data, 'village')
      await page.goto(BASE + '#/form1')
      await page.locator(sel('household-no')).waitFor()
      // the village user's own village is preselected
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-test="region"]')
        const input = el && (el.matches('input') ? el : el.querySelector('input'))
        return input && input.value !== ''
      })
      await page.click(sel('household-no-gen'))
      st.householdNo = await page.inputValue(field('household-no'))
      assert(/^X\d{6}\d{12}$/.test(st.householdNo), `a household number is suggested: ${st.householdNo}`)
      await page.fill(field('address'), '洗煤社区三组 8 号')
      await page.fill(field('phone'), '13900001111')

      await page.fill(field('m-name-0'), '赵建国')
      await page.fill(field('m-id-0'), WRONG_ID)
      await page.locator('.members .el-form-item__error').filter({ hasText: '校验位错误' }).waitFor()
      assert((await text(page.locator(sel('m-birth-0')))) === '—', 'no birth date from an ID that fails its check digit')
      await page.fill(field('m-id-0'), HEAD_ID)
      await page.locator(sel('m-birth-0')).filter({ hasText: '1960-05-05' }).waitFor()
      // the error goes once the check digit is right
      await page.locator('.members .el-form-item__error').waitFor({ state: 'detached' })
      assert((await text(page.locator(sel('m-gender-0')))).includes('男'),
        'sex filled from the ID (男)')
      await choose(page, 'm-labor-0', '丧失劳动力')

      await page.click(sel('member-add'))
      await page.fill(field('m-name-1'), '钱秀英')
      // a 15-digit old number is converted on leaving the field
      const old15 = SPOUSE_ID.slice(0, 6) + SPOUSE_ID.slice(8, 17)
      await page.fill(field('m-id-1'), old15)
      await page.locator(field('m-id-1')).blur()
      await page.locator(sel('m-birth-1')).filter({ hasText: '1962-08-08' }).waitFor()
      assert((await page.inputValue(field('m-id-1'))) === SPOUSE_ID, 'the 15-digit ID is converted to 18 digits')
      assert((await text(page.locator(sel('m-gender-1')))).includes('女'),
        'sex filled from the ID (女)')
      await choose(page, 'm-rel-1', '配偶')
      await choose(page, 'm-labor-1', '弱劳动力或半劳动力')
      assert((await text(page.locator(sel('member-count')))) === '2 人', 'household size follows the members table')

      // money: a third decimal is refused; a valid amount is shown grouped
      const wage = field('money-wage_income')
      await page.fill(wage, '1234.567')
      await page.locator(wage).blur()
      await page.locator('#s-money .el-form-item__error').filter({ hasText: '两位小数' }).waitFor()
      await page.fill(wage, '4800')
      await page.locator(wage).blur()
      assert((await page.inputValue(wage)) === '4,800.00', `money shown as 4,800.00: ${await page.inputValue(wage)}`)
      await page.fill(field('money-medical_self_paid'), '1200.5')
      await page.locator(field('money-medical_self_paid')).blur()
      assert((await text(page.locator(sel('net')))) === '3,599.50 元', 'family net income = 4800 − 1200.50')
      await page.locator(sel('risk-types')).getByText('因病', { exact: true }).click()
      await page.fill(field('survey'), '户主因病丧失劳动力，配偶务农，收入微薄。')
      await page.locator('#s-members').scrollIntoViewIfNeeded()
      await shot(page, 'apply-form1')
    },
  },
  {
    name: 'village user: 试算 shows the category and the trace of all five categories',
    stopOnFail: true,
    fn: async () => {
      const page = st.page
      await page.click(sel('preview'))
      const drawer = page.locator(sel('assess-result'))
      await drawer.waitFor()
      st.previewCategory = await text(drawer.locator(sel('assess-category')))
      assert(st.previewCategory && st.previewCategory !== '—', `a category is shown: ${st.previewCategory}`)
      const rows = await drawer.locator(`${sel('assess-trace')} .el-table__body tr`).count()
      assert(rows === 5, `the trace has one line per category (5): ${rows}`)
      const why = await text(drawer.locator(`${sel('assess-trace')} .el-table__body`))
      assert(why.includes('低保线'), 'the trace explains the DB test with its numbers')
      await shot(page, 'apply-form1-preview')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
    },
  },
  {
    name: 'village user: 保存草稿 then the draft list resumes it',
    stopOnFail: true,
    fn: async () => {
      const page = st.page
      await page.click(sel('save-draft'))
      await page.locator('.el-message').filter({ hasText: '草稿已保存' }).waitFor()
      await page.click(sel('drafts-open'))
      const row = page.locator(`${sel('drafts')} .el-table__body tr`).filter({ hasText: '赵建国户' })
      await row.waitFor()
      assert((await text(row)).includes(st.householdNo), 'the draft is listed under the household')
      await row.locator(sel('draft-load')).click()
      assert((await page.inputValue(field('m-name-1'))) === '钱秀英', 'the resumed draft keeps the members')
    },
  },
  {
    name: 'village user: 提交申请 opens 附件2 prefilled and registers the application',
    stopOnFail: true,
    fn: async () => {
      const page = st.page
      await page.click(sel('submit'))
      await page.waitForURL((u) => u.hash.startsWith('#/apply'))
      await page.locator(sel('household-summary')).filter({ hasText: st.householdNo }).waitFor()
      assert((await page.inputValue(field('applicant-name'))) === '赵建国', 'the head is the applicant')
      assert((await page.inputValue(field('applicant-id'))) === HEAD_ID, 'with the ID typed on 附件1')
      await page.fill(field('hardship'), '户主患病丧失劳动力，家庭收入低于低保标准。')
      await page.click(`${sel('need-dibao')}`)
      await page.click(`${sel('need-medical')}`)
      await shot(page, 'apply-apply')
      await page.click(sel('apply-submit'))
      await page.locator(sel('app-no')).waitFor()
      st.app1 = await text(page.locator(sel('app-no')))
      assert(/^SQ\d{10}$/.test(st.app1), `an application number: ${st.app1}`)
      await page.click(sel('app-open'))
      await page.locator(sel('detail-state')).filter({ hasText: '申请' }).waitFor()
    },
  },
  {
    name: 'village user: 村社评议; the economic check is not theirs',
    stopOnFail: true,
    fn: async () => {
      const page = st.page
      await openApp(page, st.app1)
      await act(page, 'village_review', '村社评议', (d) => d.locator(field('act-comment')).fill('村民代表评议通过'))
      assert(!(await page.locator(sel('act-economic_check')).count()), 'a village user has no 家庭经济状况核对 button')
      assert((await text(page.locator(sel('timeline')))).includes('村民代表评议通过'), 'the comment is on the timeline')
    },
  },
  {
    name: 'township user: 家庭经济状况核对 shows the computed category and the trace',
    stopOnFail: true,
    fn: async ({ ctx, data }) => {
      const page = await as(ctx, data, 'township_a')
      await page.goto(BASE + '#/review')
      const link = page.locator(sel(`app-${st.app1}`))
      await link.waitFor()
      await shot(page, 'apply-review-list')
      await link.click()
      await page.locator(sel('detail-state')).waitFor()
      await act(page, 'economic_check', '家庭经济状况核对')
      const computed = await text(page.locator(sel('detail-computed')))
      assert(computed === st.previewCategory, `the check computes what the preview said: ${computed} vs ${st.previewCategory}`)
      const rows = await page.locator(`#assessment ${sel('assess-trace')} .el-table__body tr`).count()
      assert(rows === 5, `the stored trace is shown (5 lines): ${rows}`)
    },
  },
  {
    name: 'village user: 入户调查 needs two investigators',
    stopOnFail: true,
    fn: async ({ ctx, data }) => {
      const page = await as(ctx, data, 'village')
      await openApp(page, st.app1)
      await page.click(sel('act-home_visit'))
      const dlg = page.locator('.el-dialog:visible')
      await dlg.locator(field('inv-0')).fill('孙调查')
      await dlg.locator(sel('act-confirm')).click()
      await dlg.locator('.el-form-item__error').filter({ hasText: '至少 2 名' }).waitFor()
      await dlg.locator(field('inv-1')).fill('孙调查')
      await dlg.locator(sel('act-confirm')).click()
      await dlg.locator('.el-form-item__error').filter({ hasText: '重名只算一名' }).waitFor()
      await dlg.locator(field('inv-1')).fill('李核实')
      await dlg.locator(sel('act-confirm')).click()
      await page.locator(sel('detail-state')).filter({ hasText: '入户调查' }).waitFor()
      assert((await text(page.locator(sel('timeline')))).includes('孙调查,李核实'), 'both investigators are recorded')
    },
  },
  {
    name: 'township user: 初审, 公示 with its dates, an objection, the decision refused during the notice',
    stopOnFail: true,
    fn: async ({ ctx, data }) => {
      const page = await as(ctx, data, 'township_a')
      await openApp(page, st.app1)
      await act(page, 'first_review', '初审')
      await act(page, 'public_notice', '公示')
      const dates = await text(page.locator(sel('notice-dates')))
      assert(dates.startsWith(daysAgo(0)), `the notice starts today: ${dates}`)
      await page.click(sel('act-objection'))
      await page.locator(field('objection-text')).fill('邻居反映家中有小型货车')
      await page.click(sel('objection-confirm'))
      await page.locator('.objections').filter({ hasText: '小型货车' }).waitFor()
      // the server refuses the decision until the day after the notice: its message is shown
      await page.click(sel('act-decision'))
      const dlg = page.locator('.el-dialog:visible')
      await dlg.locator(sel('act-confirm')).click()
      const err = dlg.locator(sel('act-error'))
      await err.waitFor()
      assert(/公示/.test(await text(err)), `the refusal names the notice period: ${await text(err)}`)
      await dlg.getByRole('button', { name: '取消' }).click()
      assert((await stateOf(page)) === '公示', 'still in 公示')
    },
  },
  {
    name: 'township user: 审核确认 of an application whose notice is over (override needs a reason), decision PDF',
    fn: async ({ data }) => {
      const page = st.page
      // prepared through the CLI three weeks back, up to 公示
      const dir = mkdtempSync(join(tmpdir(), 'doudi-apply-'))
      const f = join(dir, 'app.json')
      writeFileSync(f, JSON.stringify({
        applicant_name: data.ha_head_name, applicant_id: data.ha_head_id, household_no: data.ha,
        channel: '窗口', hardship: '因病致困', needs: ['最低生活保障'],
      }))
      const on = daysAgo(21)
      st.app2 = cli(['apply', f], on)
      cli(['application', 'advance', st.app2, '--to', 'village_review', '--by', '村协理员'], on)
      cli(['application', 'advance', st.app2, '--to', 'economic_check', '--by', '乡镇经办'], on)
      cli(['application', 'advance', st.app2, '--to', 'home_visit', '--by', '乡镇经办', '--investigators', '甲,乙'], on)
      cli(['application', 'advance', st.app2, '--to', 'first_review', '--by', '乡镇经办'], on)
      cli(['application', 'advance', st.app2, '--to', 'public_notice', '--by', '乡镇经办'], on)

      await openApp(page, st.app2)
      const computed = await text(page.locator(sel('detail-computed')))
      await page.click(sel('act-decision'))
      const dlg = page.locator('.el-dialog:visible')
      await dlg.waitFor()
      const checked = await text(dlg.locator(`${sel('decide-category')} .el-radio.is-checked`)).catch(() => '')
      if (computed !== '不符合任何类别') assert(checked.includes(computed) || computed.includes(checked),
        `the computed category is preselected: ${checked} / ${computed}`)
      // a category other than the computed one: a reason is required
      const other = computed === '低保' ? '低保边缘' : '低保'
      await dlg.locator(`${sel('decide-category')} .el-radio`).filter({ hasText: new RegExp(`^\\s*${other}\\s*$`) }).click()
      await dlg.locator(sel('act-confirm')).click()
      await dlg.locator('.el-form-item__error').filter({ hasText: '理由不能为空' }).waitFor()
      await dlg.locator(field('act-reason')).fill('入户调查核实家庭实际支出较大，经集体研究调整认定类别')
      await dlg.locator(sel('act-confirm')).click()
      await page.locator(sel('detail-state')).filter({ hasText: '审核确认' }).waitFor()
      assert((await text(page.locator(sel('detail-decided')))) === other, `decided as ${other}`)
      const pdf = page.locator(sel('decision-pdf'))
      await pdf.waitFor()
      const res = await page.request.get(new URL(await pdf.getAttribute('href'), BASE).href)
      assert(res.status() === 200, `the decision PDF downloads: ${res.status()}`)
      assert((await res.body()).subarray(0, 5).toString() === '%PDF-', 'it is a PDF')
      assert(await page.locator(sel('act-published')).count(), 'the next step 公开 is offered')
      await shot(page, 'apply-review-detail')
    },
  },
  {
    name: 'township user: 申请登记 for a registry household found by its number, kept as a draft; needs are required',
    fn: async ({ data }) => {
      const page = st.page
      await page.goto(BASE + '#/apply')
      await page.locator(sel('household-search')).click()
      await page.keyboard.type(data.ha)
      const opt = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: data.ha })
      await opt.first().click()
      await page.locator(sel('household-summary')).filter({ hasText: data.ha }).waitFor()
      assert((await page.inputValue(field('applicant-name'))) === data.ha_head_name, 'the head is proposed as the applicant')
      assert((await text(page.locator(sel('household-summary')))).includes('********'), 'member IDs are masked in the summary')
      await page.fill(field('applicant-id'), data.ha_head_id)
      await page.fill(field('hardship'), '突发重病，医疗支出大')
      // a half-filled 附件2 is kept as a draft and resumed after a reload
      await page.click(sel('apply-save-draft'))
      await page.locator('.el-message').filter({ hasText: '草稿已保存' }).waitFor()
      await page.reload()
      await page.click(sel('apply-drafts'))
      await page.locator('.el-dropdown-menu:visible .el-dropdown-menu__item').filter({ hasText: data.ha }).first().click()
      await page.locator(sel('household-summary')).filter({ hasText: data.ha }).waitFor()
      assert((await page.inputValue(field('hardship'))) === '突发重病，医疗支出大', 'the draft keeps the hardship text')
      assert((await page.inputValue(field('applicant-id'))) === data.ha_head_id, 'and the applicant ID')
      await page.click(sel('apply-submit'))
      await page.locator('.el-form-item__error').filter({ hasText: '至少选择一项' }).waitFor()
      await page.click(sel('need-temporary'))
      await page.click(sel('apply-submit'))
      await page.locator(sel('app-no')).waitFor()
      const no = await text(page.locator(sel('app-no')))
      assert(/^SQ\d{10}$/.test(no) && no !== st.app2, `a new application number: ${no}`)
    },
  },
  {
    name: 'township user: 不予认定 needs a reason; the procedure shows where it stopped',
    fn: async () => {
      const page = st.page
      await openApp(page, st.app1)
      await page.click(sel('act-rejected'))
      const dlg = page.locator('.el-dialog:visible')
      await dlg.locator(sel('act-confirm')).click()
      await dlg.locator('.el-form-item__error').filter({ hasText: '不予认定理由不能为空' }).waitFor()
      await dlg.locator(field('act-reason')).fill('公示期间核实家庭有经营性货车，收入超过标准')
      await dlg.locator(sel('act-confirm')).click()
      await page.locator(sel('detail-state')).filter({ hasText: '不予认定' }).waitFor()
      assert(await page.locator('.el-step__head.is-error').count() === 1, 'the step after 公示 shows the rejection')
      assert((await text(page.locator(sel('detail-decided')))) === '不予认定', 'the decision reads 不予认定')
      assert(!(await page.locator(sel('act-published')).count()), 'nothing further is offered')
    },
  },
]
