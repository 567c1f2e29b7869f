// Shared helpers of the browser specs (tests/browser/*.mjs), run by run.mjs.
// Chromium is Debian's /usr/bin/chromium driven by playwright-core (web/node_modules): no
// browser download.
import { createRequire } from 'node:module'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const TOP = join(here, '..', '..')
const require = createRequire(join(TOP, 'web', 'package.json'))
const { chromium } = require('playwright-core')

export const SHOTS = process.env.SHOTS_DIR || join(TOP, 'tests', 'e2e', 'screenshots')
export const BASE = process.env.BASE_URL // e.g. http://127.0.0.1:41234/

export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'doudi-chromium-'))
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    acceptDownloads: true,
  })
  ctx.setDefaultTimeout(15000)
  // the profile goes once the browser has exited (close() resolves after that)
  const close = ctx.close.bind(ctx)
  ctx.close = async (...a) => {
    await close(...a)
    try { rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 }) } catch { /* a temp dir */ }
  }
  return ctx
}

// A new page of `ctx` logged in as `user`; lands on the dashboard.
export async function login(ctx, user, password) {
  const page = await ctx.newPage()
  await page.goto(BASE + '#/login')
  await page.fill('input[name=username]', user)
  await page.fill('input[name=password]', password)
  await page.click('button[type=submit]')
  // either the app leaves the login page or the login box shows the server's refusal
  await page.waitForFunction(() => !location.hash.startsWith('#/login') || document.querySelector('.login-box .el-alert'))
  const alert = page.locator('.login-box .el-alert')
  if (await alert.count()) throw new Error(`login as ${user} refused: ${await alert.innerText()}`)
  return page
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true })
  await page.waitForTimeout(400) // let charts finish their entry animation
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: false })
}

// Text of a locator, whitespace-collapsed.
export async function text(loc) {
  return ((await loc.innerText()) || '').replace(/\s+/g, ' ').trim()
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg)
}

export function num(s) {
  return Number(String(s).replace(/[^0-9-]/g, ''))
}
