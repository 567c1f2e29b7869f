// A refusal of the server (422 with `field`, e.g. `members[1].id_number`) shown at that
// field of an element-plus form, as the form's own rules would; other errors as a message.
import { ElMessage } from 'element-plus'

// 'members[1].id_number' → 'members.1.id_number' (element-plus prop paths)
export function propOf(field) {
  return String(field || '').replace(/\[(\d+)\]/g, '.$1')
}

// The message without its leading "field: " (the field is marked in place instead).
function bare(msg, field) {
  const p = `${field}: `
  return msg.startsWith(p) ? msg.slice(p.length) : msg
}

export function showServerError(form, err, prefix = '') {
  const prop = err && err.field ? prefix + propOf(err.field) : ''
  const item = prop && form && form.getField ? form.getField(prop) : null
  if (!item) {
    ElMessage.error(err ? err.message : '操作失败')
    return false
  }
  item.validateState = 'error'
  item.validateMessage = bare(err.message, err.field)
  form.scrollToField(prop)
  ElMessage.error(`服务器未接受：${item.validateMessage}`)
  return true
}
