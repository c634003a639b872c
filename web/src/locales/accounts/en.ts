import type zh from './zh-CN';

// What the counter does on an account (early resumption …); same keys as zh-CN.ts (the type says so).
const en: typeof zh = {
  resume: {
    button: 'Resume early',
    confirm: 'Account {account} is suspended. Resume water supply early? The suspension process resumes it and ends.',
    title: 'Resume early',
    ok: 'Resume',
    cancel: 'Cancel',
    requested: 'Resumption requested: the suspension process is resuming the account',
    done: 'Water supply resumed',
  },
  problem: {
    not_suspended: 'The account is not suspended: nothing to resume',
    forbidden: 'Your role may not do this',
    not_found: 'No such account',
    invalid: 'The account number is not valid',
    engine: 'The process engine cannot take it now; try again later',
    unknown: 'The request failed (HTTP {status})',
    network: 'Network error; try again later',
  },
};

export default en;
