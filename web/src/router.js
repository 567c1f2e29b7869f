// Routes. Hash history: `doudi serve` serves only real files, so deep links stay '/#/…'.
// meta.roles: role codes allowed (api.md); meta.crumbs: the breadcrumb under the top bar.
import { createRouter, createWebHashHistory } from 'vue-router'
import Layout from './layout/Layout.vue'

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', name: 'dashboard', component: () => import('./views/Dashboard.vue'), meta: { title: '首页', crumbs: ['首页'], roles: 'ATVUDC' } },
      { path: 'households', name: 'households', component: () => import('./views/households/List.vue'), meta: { title: '低收入人口', crumbs: ['低收入人口', '家庭查询'], roles: 'ATVU' } },
      { path: 'households/:no', name: 'household', component: () => import('./views/households/Detail.vue'), meta: { title: '家庭详情', crumbs: ['低收入人口', '家庭详情'], roles: 'ATVU' } },
      { path: 'form1/:key?', name: 'form1', component: () => import('./views/apply/Form1.vue'), meta: { title: '信息采集', crumbs: ['信息采集', '家庭经济状况（附件1）'], roles: 'ATV' } },
      { path: 'apply', name: 'apply', component: () => import('./views/apply/Apply.vue'), meta: { title: '申请登记', crumbs: ['申请审核', '申请登记（附件2）'], roles: 'ATV' } },
      { path: 'review', name: 'review', component: () => import('./views/review/List.vue'), meta: { title: '审核确认', crumbs: ['申请审核', '审核确认'], roles: 'ATVU' } },
      { path: 'review/:app', name: 'review-detail', component: () => import('./views/review/Detail.vue'), meta: { title: '申请详情', crumbs: ['申请审核', '申请详情'], roles: 'ATVU' } },
      { path: 'warnings', name: 'warnings', component: () => import('./views/warnings/List.vue'), meta: { title: '预警列表', crumbs: ['动态监测/预警', '预警列表'], roles: 'ATU' } },
      { path: 'compare', name: 'compare', component: () => import('./views/compare/Runs.vue'), meta: { title: '比对运行', crumbs: ['动态监测/预警', '比对运行'], roles: 'AU' } },
      { path: 'imports', name: 'imports', component: () => import('./views/imports/Imports.vue'), meta: { title: '数据导入', crumbs: ['数据导入'], roles: 'AU' } },
      { path: 'reports', name: 'reports', component: () => import('./views/reports/Reports.vue'), meta: { title: '统计报表', crumbs: ['统计报表'], roles: 'ATU' } },
      { path: 'settings/users', name: 'users', component: () => import('./views/settings/Users.vue'), meta: { title: '用户管理', crumbs: ['系统设置', '用户管理'], roles: 'A' } },
      { path: 'settings/policy', name: 'policy', component: () => import('./views/settings/Policy.vue'), meta: { title: '政策参数', crumbs: ['系统设置', '政策参数'], roles: 'AU' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

const router = createRouter({ history: createWebHashHistory(), routes })
export default router
