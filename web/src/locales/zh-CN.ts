export default {
  app: { name: '水务业务流程系统' },
  signIn: {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    required: '请输入用户名和密码',
    failed: '用户名或密码错误',
  },
  shell: {
    welcome: '欢迎，{name}',
    roles: '角色',
    signOut: '退出登录',
    empty: '工作台：待办任务、客户档案等功能即将上线。',
  },
  language: '语言',
};
