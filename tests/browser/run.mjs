// Runs browser spec files: node tests/browser/run.mjs admin.mjs apply.mjs …
// Each spec exports `tests`: [{ name, fn(env) }], run in order in one browser context per
// file (none when the spec exports browser = false); env = { ctx, data } where data comes from
// $BROWSER_DATA (JSON written by t1000).
// Prints "PASS name" / "FAIL name: reason" lines (t1000-browser.sh turns them into TAP).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { launch, SHOTS } from './lib.mjs'

const data = process.env.BROWSER_DATA ? JSON.parse(readFileSync(process.env.BROWSER_DATA, 'utf8')) : {}
let failed = 0
mkdirSync(SHOTS, { recursive: true })
for (const file of process.argv.slice(2)) {
  let ctx = null
  try {
    const spec = await import(join(import.meta.dirname, file))
    if (spec.browser !== false) ctx = await launch()
    for (const t of spec.tests) {
      const t0 = Date.now()
      try {
        await t.fn({ ctx, data })
        console.log(`PASS ${file}: ${t.name} (${Date.now() - t0} ms)`)
      } catch (e) {
        failed++
        console.log(`FAIL ${file}: ${t.name}: ${String(e && e.message || e).split('\n').slice(0, 6).join(' | ')}`)
        // what the browser showed, for the log: screenshots fail-<spec>-<n>.png and the page text
        let n = 0
        for (const pg of ctx ? ctx.pages() : []) {
          if (pg.url() === 'about:blank') continue
          n++
          await pg.screenshot({ path: join(SHOTS, `fail-${file.replace('.mjs', '')}-${n}.png`) }).catch(() => {})
          const body = await pg.locator('body').innerText({ timeout: 2000 }).catch(() => '')
          console.error(`${t.name}: page ${pg.url()}: ${body.replace(/\s+/g, ' ').slice(0, 400)}`)
        }
        if (t.stopOnFail) break
      }
    }
  } catch (e) {
    failed++
    console.log(`FAIL ${file}: could not run: ${e && e.message}`)
  } finally {
    if (ctx) await ctx.close().catch(() => {})
  }
}
process.exit(failed ? 1 : 0)
