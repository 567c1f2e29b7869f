// A township caseworker: the menu of the role, the warnings of the township, one warning's
// evidence in the drawer. Runs after admin.mjs (whose comparison raised the warnings).
import { BASE, launch, login, shot, text, assert } from './lib.mjs'

let page

export const tests = [
  {
    name: 'township user sees the menu of the role (no 数据导入, no 系统设置)',
    stopOnFail: true,
    fn: async ({ ctx, data }) => {
      page = await login(ctx, ...data.users.township)
      const menu = await text(page.locator('.el-aside .menu').first())
      assert(menu.includes('动态监测/预警') && menu.includes('低收入人口'), `menu: ${menu}`)
      assert(!menu.includes('数据导入') && !menu.includes('系统设置'), `menu shows admin items: ${menu}`)
      // the dashboard of a township counts its own townships only: one row
      const rows = page.locator('[data-test=by-township] .el-table__body tr')
      await rows.first().waitFor()
      assert((await rows.count()) === 1, `township dashboard rows: ${await rows.count()}`)
      await shot(page, '13-township-dashboard')
    },
  },
  {
    name: 'township user opens a warning\'s evidence',
    fn: async () => {
      await page.goto(BASE + '#/warnings')
      const rows = page.locator('[data-test=warnings] .el-table__body tr')
      await rows.first().waitFor()
      const lv = await page.locator('[data-test=warnings] [data-level]').first().getAttribute('data-level')
      assert(['red', 'yellow', 'blue'].includes(lv), `level tag ${lv}`)
      await shot(page, '11-township-warnings')
      await rows.first().locator('[data-test=evidence]').click()
      const ev = page.locator('[data-test=evidence-text]')
      await ev.waitFor()
      await page.waitForLoadState('networkidle')
      const t = await text(ev)
      assert(t.length > 2 && t !== '—', `evidence text: "${t}"`)
      await shot(page, '12-township-evidence')
    },
  },
  {
    name: '修改密码: the auditor changes the password and logs in with the new one',
    fn: async ({ data }) => {
      const [u, pw] = data.users.auditor
      const ctx = await launch() // a browser of its own: the township user stays logged in in the other
      try {
      const p = await login(ctx, u, pw)
      await p.locator('.el-header .user').click()
      await p.locator('.el-dropdown-menu__item', { hasText: '修改密码' }).click()
      const dlg = p.locator('.el-dialog', { hasText: '修改密码' })
      await dlg.locator('input').nth(0).fill(pw)
      await dlg.locator('input').nth(1).fill('short')
      await dlg.locator('input').nth(2).fill('short')
      await dlg.getByRole('button', { name: '保存' }).click()
      await dlg.locator('.el-form-item__error', { hasText: '新密码至少 8 位' }).waitFor()
      await dlg.locator('input').nth(1).fill(pw + '-new')
      await dlg.locator('input').nth(2).fill(pw + '-new')
      await dlg.getByRole('button', { name: '保存' }).click()
      await p.locator('.el-message--success', { hasText: '密码已修改' }).waitFor()
      await p.locator('.el-header .user').click()
      await p.locator('.el-dropdown-menu__item', { hasText: '退出登录' }).click()
      await p.locator('input[name=username]').waitFor()
      await p.close()
      const again = await login(ctx, u, pw + '-new')
      const who = await text(again.locator('[data-test=who]'))
      assert(who.includes('审计监督'), `logged in again as the auditor: ${who}`)
      } finally {
        await ctx.close()
      }
    },
  },
]
