// The display formats of web/src/utils/format.js, table-driven (no browser needed).
import { money, count, date, month, maskId, categoryName, levelTag } from '../../web/src/utils/format.js'
import { assert } from './lib.mjs'

export const browser = false

const cases = [
  ['money: thousands and two decimals', money('12345.6'), '12,345.60 元'],
  ['money: integer yuan', money('1234'), '1,234.00 元'],
  ['money: zero', money('0.00'), '0.00 元'],
  ['money: negative', money('-1234567.5'), '-1,234,567.50 元'],
  ['money: 999.99 stays below the separator', money('999.99'), '999.99 元'],
  ['money: 1000.00 gets one', money('1000.00'), '1,000.00 元'],
  ['money: no unit', money('2500', false), '2,500.00'],
  ['money: null is a dash', money(null), '—'],
  ['money: a non-number is shown as given', money('abc'), 'abc'],
  ['money: no float rounding on 0.1+0.2 style values', money('0.30'), '0.30 元'],
  ['money: huge amounts stay exact', money('90071992547409.93'), '90,071,992,547,409.93 元'],
  ['count: thousands', count(1234567), '1,234,567'],
  ['count: below 1000', count(999), '999'],
  ['count: zero', count(0), '0'],
  ['count: missing', count(undefined), '—'],
  ['date: a plain date as written', date('2025-03-07'), '2025-03-07'],
  ['date: local timestamp keeps its wall time', date('2025-03-07T10:20:30', true), '2025-03-07 10:20'],
  ['date: missing', date(''), '—'],
  ['month: Chinese', month('2025-03'), '2025年3月'],
  ['maskId: 18 characters', maskId('11010519491231002X'), '110105********002X'],
  ['maskId: already masked stays', maskId('110105********002X'), '110105********002X'],
  ['categoryName: DB', categoryName('DB'), '低保'],
  ['categoryName: unknown code as given', categoryName('ZZ'), 'ZZ'],
  ['levelTag: red is danger', levelTag('red').type + ' ' + levelTag('red').label, 'danger 红色预警'],
  ['levelTag: yellow is amber (warning)', levelTag('yellow').type + ' ' + levelTag('yellow').label, 'warning 黄色预警'],
  ['levelTag: blue is primary', levelTag('blue').type + ' ' + levelTag('blue').label, 'primary 蓝色预警'],
]

export const tests = cases.map(([name, got, want]) => ({
  name: 'format ' + name,
  fn: async () => assert(got === want, `got "${got}", want "${want}"`),
}))
