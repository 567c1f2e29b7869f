import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import router from './router.js'
import { session, hasRole } from './session.js'
import { loadSession } from './api.js'

// Every page but the login needs a session; a page of another role goes to 首页.
router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession()
  if (to.meta.public) return session.user && to.name === 'login' ? { name: 'dashboard' } : true
  if (!session.user) return { name: 'login', query: { redirect: to.fullPath } }
  if (to.meta.roles && !hasRole(to.meta.roles)) return { name: 'dashboard' }
  return true
})
router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' - ' : '') + '低收入人口动态监测'
})

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app')
