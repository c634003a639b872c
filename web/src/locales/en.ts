export default {
  app: { name: 'Water utility business processes' },
  signIn: {
    title: 'Sign in',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    required: 'Enter your user name and password',
    failed: 'Unknown user name or wrong password',
  },
  shell: {
    welcome: 'Welcome, {name}',
    roles: 'Roles',
    signOut: 'Sign out',
    empty: 'Workspace: the inbox, customer records and more are on their way.',
  },
  language: 'Language',
};
