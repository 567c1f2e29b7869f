// The county admin: dashboard, household search and page, a feed import and a comparison run
// through the UI, and a screenshot of every main page.
import { BASE, login, shot, text, assert, num } from './lib.mjs'

const FULL_ID = /(^|[^0-9])[0-9]{17}[0-9X]([^0-9X]|$)/
let page
let redBefore = -1
const scriptErrors = [] // uncaught exceptions of the app, on any page

async function stat(name) {
  const loc = page.locator(`[data-test=stat-${name}]`)
  await loc.waitFor()
  return num(await text(loc))
}

// Types a month into an el-date-picker and confirms it.
async function pickMonth(sel, m) {
  const input = page.locator(`${sel} input`).first()
  await input.click()
  await input.fill(m)
  await input.press('Enter')
  await page.keyboard.press('Escape')
}

// Waits until the job panel says 已完成 (or fails at 失败), returns its text.
async function waitJob(ms) {
  const state = page.locator('[data-test=job-state]')
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-test=job-state]')
    return s && /已完成|失败/.test(s.textContent)
  }, null, { timeout: ms })
  const st = await text(state)
  const bar = await text(page.locator('[data-test=job-progress]'))
  return { st, bar, all: await text(page.locator('[data-test=job]')) }
}

export const tests = [
  {
    name: 'admin logs in and sees the dashboard with numbers',
    stopOnFail: true,
    fn: async ({ ctx, data }) => {
      const lp = await ctx.newPage()
      await lp.goto(BASE + '#/login')
      await lp.locator('input[name=username]').waitFor()
      await shot(lp, '00-login')
      await lp.close()
      page = await login(ctx, ...data.users.admin)
      page.on('pageerror', (e) => scriptErrors.push(String(e && e.message || e)))
      const hh = await stat('households')
      const members = await stat('members')
      assert(hh > 0 && hh <= data.households, `在册家庭 ${hh}, want 1..${data.households}`)
      assert(members > hh, `在册人口 ${members} should exceed households ${hh}`)
      redBefore = await stat('red')
      const rows = await page.locator('[data-test=by-township] .el-table__body tr').count()
      assert(rows > 0, 'the township table has no rows')
      const who = await text(page.locator('[data-test=who]'))
      assert(who.includes('县级管理员'), `top bar shows the role: ${who}`)
      await shot(page, '01-dashboard')
    },
  },
  {
    name: 'household list: search by the head\'s name finds the household, IDs masked',
    fn: async ({ data }) => {
      await page.goto(BASE + '#/households')
      const table = page.locator('[data-test=households]')
      await table.locator('.el-table__body tr').first().waitFor()
      const n = await table.locator('.el-table__body tr').count()
      assert(n === Math.min(20, data.households), `first page shows ${n} rows, want 20`)
      const total = await text(page.locator('.el-pagination__total'))
      assert(num(total) === data.households, `pagination total "${total}", want ${data.households}`)
      await shot(page, '02-households')
      await page.locator('[data-test=q] input').fill(data.ha_head_name)
      await page.locator('[data-test=search]').click()
      await page.waitForFunction((no) => document.querySelector('[data-test=households] .el-table__body')?.textContent.includes(no), data.ha)
      const body = await text(table.locator('.el-table__body'))
      assert(body.includes(data.ha_head_name), 'the found row shows the head\'s name')
      assert(!FULL_ID.test(body), `a full ID number is shown in the list: ${body.slice(0, 200)}`)
      assert(body.includes('********'), 'masked IDs are shown')
    },
  },
  {
    name: 'household page: members with masked IDs; 查看 reveals the full ID',
    fn: async ({ data }) => {
      const row = page.locator('[data-test=households] .el-table__body tr', { hasText: data.ha })
      await row.getByText('详情').click()
      await page.waitForURL((u) => u.hash === `#/households/${data.ha}`)
      const members = page.locator('[data-test=members] .el-table__body')
      await members.locator('tr').first().waitFor()
      const before = await text(members)
      assert(!FULL_ID.test(before), 'the household page shows a full ID before 查看')
      assert(before.includes(data.ha_head_id.slice(0, 6) + '********' + data.ha_head_id.slice(14)), `masked head ID not shown: ${before.slice(0, 200)}`)
      const fin = await text(page.locator('[data-test=finances]'))
      assert(/\d{1,3}(,\d{3})*\.\d{2} 元/.test(fin), `finances as money: ${fin.slice(0, 120)}`)
      await shot(page, '03-household')
      await members.locator('tr').first().getByText('查看').click()
      await page.waitForFunction((id) => document.querySelector('[data-test=members] .el-table__body')?.textContent.includes(id), data.ha_head_id)
    },
  },
  {
    name: 'household list: the 特困 filter lists only 特困 households; 导出 CSV downloads them masked',
    fn: async () => {
      await page.goto(BASE + '#/households')
      await page.locator('[data-test=households] .el-table__body tr').first().waitFor()
      await page.locator('[data-test=category] .el-select').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '特困人员' }).click()
      await page.locator('[data-test=search]').click()
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('[data-test=households] .el-table__body tr')]
        return rows.length > 0 && rows.every((r) => r.textContent.includes('特困'))
      })
      const total = num(await text(page.locator('.el-pagination__total')))
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByText('导出 CSV').click()])
      const csv = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8')
      const lines = csv.trim().split(/\r?\n/)
      assert(lines.length === total + 1, `CSV has ${lines.length - 1} rows, the list ${total}`)
      assert(!FULL_ID.test(csv), 'the CSV export holds a full ID number')
    },
  },
  {
    name: '数据导入: a feed uploads and its job progress reaches 100 %',
    fn: async ({ data }) => {
      await page.goto(BASE + '#/imports')
      await page.locator('[data-test=feed-kind] .el-select').click()
      await page.locator('.el-select-dropdown__item', { hasText: `（${data.feed.kind}）` }).click()
      await pickMonth('[data-test=feed-month]', data.feed.month)
      await page.locator('[data-test=file-feed] input[type=file]').setInputFiles(data.feed.file)
      await page.locator('[data-test=start-import]').click()
      const job = await waitJob(60000)
      const up = await text(page.locator('[data-test=upload-progress]'))
      assert(up.includes('100%'), `upload progress: ${up}`)
      assert(job.st === '已完成', `job state ${job.st}: ${job.all}`)
      assert(job.bar.includes('100%'), `job progress bar: ${job.bar}`)
      await page.locator('[data-test=imports] .el-table__body tr').first().waitFor()
      await shot(page, '04-imports')
    },
  },
  {
    name: '数据导入: a file with a bad row shows the counts and a link to its error file',
    fn: async ({ data }) => {
      await page.goto(BASE + '#/imports')
      await page.locator('[data-test=feed-kind] .el-select').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: `（${data.bad_feed.kind}）` }).click()
      await pickMonth('[data-test=feed-month]', data.bad_feed.month)
      await page.locator('[data-test=file-feed] input[type=file]').setInputFiles(data.bad_feed.file)
      await page.locator('[data-test=start-import]').click()
      const job = await waitJob(60000)
      assert(job.st === '已完成', `job state ${job.st}: ${job.all}`)
      const res = await text(page.locator('[data-test=job-result]'))
      assert(/有效行数 1\b/.test(res) && /拒收行数 1\b/.test(res), `result counts: ${res}`)
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=errfile]').click()])
      const csv = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8')
      assert(csv.includes('2025-13-01') && csv.split('\n')[0].includes('reason'), `error file: ${csv.slice(0, 200)}`)
      await shot(page, '04b-import-errors')
    },
  },
  {
    name: '比对: a comparison runs as a job and the dashboard\'s red count grows',
    fn: async ({ data }) => {
      await page.goto(BASE + '#/compare')
      await pickMonth('[data-test=compare-month]', data.feed.month)
      await page.locator('[data-test=start-compare]').click()
      const job = await waitJob(60000)
      assert(job.st === '已完成', `compare job ${job.st}: ${job.all}`)
      await page.waitForFunction(() => /2025年12月/.test(document.querySelector('[data-test=runs] .el-table__body')?.textContent || ''))
      await shot(page, '05-compare')
      await page.goto(BASE + '#/')
      const red = await stat('red')
      assert(red > redBefore, `红色预警 ${redBefore} → ${red}: should grow after the comparison`)
      await page.locator('[data-test=by-rule] .el-table__body tr').first().waitFor()
      await shot(page, '06-dashboard-after')
    },
  },
  {
    name: 'admin pages render with their data: warnings, reports, users, policy',
    fn: async () => {
      // [route, a row that must appear, screenshot]
      const pages = [['#/warnings', '[data-test=warnings] .el-table__body tr', '07-warnings'],
        ['#/reports', '[data-test=report-counts] .el-table__body tr', '08-reports'],
        ['#/settings/users', '[data-test=users] .el-table__body tr', '09-users'],
        ['#/settings/policy', '[data-test=policy-parsed] .el-table__body tr', '10-policy']]
      for (const [hash, sel, name] of pages) {
        await page.goto(BASE + hash)
        await page.locator(sel).first().waitFor()
        await shot(page, name)
      }
      await page.goto(BASE + '#/warnings')
      await page.locator('[data-test=warnings] .el-table__body tr').first().waitFor()
      const counts = await text(page.locator('[data-test=warning-counts]'))
      const rows = await page.locator('[data-test=warnings] .el-table__body tr').count()
      const sum = counts.match(/\d+/g).map(Number).reduce((a, b) => a + b, 0)
      assert(rows === Math.min(20, sum), `warning rows ${rows} vs the level counts "${counts}"`)
    },
  },
  {
    name: '系统设置: a user added through the dialog, then disabled',
    fn: async () => {
      await page.goto(BASE + '#/settings/users')
      await page.locator('[data-test=users] .el-table__body tr').first().waitFor()
      await page.locator('[data-test=add-user]').click()
      const dlg = page.locator('.el-dialog', { hasText: '新增用户' })
      await dlg.locator('[data-test=nu-username] input').fill('checker1')
      await dlg.locator('[data-test=nu-password] input').fill('checker-pass-1')
      await dlg.locator('[data-test=nu-role] .el-select').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '审计监督' }).click()
      await dlg.getByRole('button', { name: '保存' }).click()
      const row = page.locator('[data-test=users] .el-table__body tr', { hasText: 'checker1' })
      await row.waitFor()
      assert((await text(row)).includes('正常'), 'the new user is enabled')
      await row.getByRole('button', { name: '停用' }).click()
      await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click()
      await page.waitForFunction(() => [...document.querySelectorAll('[data-test=users] .el-table__body tr')]
        .some((tr) => tr.textContent.includes('checker1') && tr.textContent.includes('已停用')))
    },
  },
  {
    name: '政策参数: an invalid text is refused with the server\'s message, nothing saved',
    fn: async () => {
      await page.goto(BASE + '#/settings/policy')
      const ta = page.locator('textarea[data-test=policy-text]')
      await page.waitForFunction(() => (document.querySelector('textarea[data-test=policy-text]')?.value || '').includes('[county]'))
      const orig = await ta.inputValue()
      await ta.fill(orig.replace(/code\s*=\s*\d+/, 'code = abc'))
      await page.locator('[data-test=save-policy]').click()
      const err = page.locator('[data-test=policy-error]')
      await err.waitFor()
      const t = await text(err)
      assert(t.includes('abc'), `the error names the bad value: ${t}`)
      await shot(page, '10b-policy-error')
      await page.reload()
      await page.waitForFunction(() => (document.querySelector('textarea[data-test=policy-text]')?.value || '').includes('[county]'))
      assert((await ta.inputValue()) === orig, 'the policy is unchanged after the refusal')
    },
  },
  {
    name: 'no uncaught script error on any page the admin opened',
    fn: async () => assert(scriptErrors.length === 0, scriptErrors.slice(0, 5).join(' | ')),
  },
]
