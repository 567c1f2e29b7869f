// The logged-in user, shared by every view: session.user is the GET /session body or null.
import { reactive } from 'vue'

export const session = reactive({ user: null, loaded: false })

// Role codes of the contract (docs/internals/api.md): A T V U D C.
export const ROLE_CODE = {
  county_admin: 'A', township: 'T', village: 'V', auditor: 'U', dept: 'D', charity: 'C',
}
export const ROLE_NAME = {
  county_admin: '县级管理员', township: '乡镇（街道）经办人', village: '村（社区）协理员',
  auditor: '审计监督', dept: '部门用户', charity: '慈善组织',
}

// True when the current user's role is one of `codes` (a string like 'ATV').
export function hasRole(codes) {
  const r = session.user && ROLE_CODE[session.user.role]
  return !!r && codes.includes(r)
}

export function setUser(u) {
  session.user = u
  session.loaded = true
}
