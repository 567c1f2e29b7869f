// The left menu by task (UI.md). `roles`: role codes that see the item (api.md).
import {
  HomeFilled, User, EditPen, DocumentChecked, Bell, Upload, DataAnalysis, Setting,
} from '@element-plus/icons-vue'

export const MENU = [
  { title: '首页', icon: HomeFilled, to: '/', roles: 'ATVUDC' },
  { title: '低收入人口', icon: User, to: '/households', roles: 'ATVU' },
  { title: '信息采集', icon: EditPen, to: '/form1', roles: 'ATV' },
  {
    title: '申请审核', icon: DocumentChecked, roles: 'ATVU',
    children: [
      { title: '申请登记', to: '/apply', roles: 'ATV' },
      { title: '审核确认', to: '/review', roles: 'ATVU' },
    ],
  },
  {
    title: '动态监测/预警', icon: Bell, roles: 'ATU',
    children: [
      { title: '预警列表', to: '/warnings', roles: 'ATU' },
      { title: '比对运行', to: '/compare', roles: 'AU' },
    ],
  },
  { title: '数据导入', icon: Upload, to: '/imports', roles: 'AU' },
  { title: '统计报表', icon: DataAnalysis, to: '/reports', roles: 'ATU' },
  {
    title: '系统设置', icon: Setting, roles: 'AU',
    children: [
      { title: '用户管理', to: '/settings/users', roles: 'A' },
      { title: '政策参数', to: '/settings/policy', roles: 'AU' },
    ],
  },
]
