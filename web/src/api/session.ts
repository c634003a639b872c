import { api } from './http';

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

export const sessionApi = {
  signIn: (username: string, password: string) => api<{ user: User }>('POST', '/api/session', { username, password }),
  current: () => api<{ user: User }>('GET', '/api/session'),
  signOut: () => api<void>('DELETE', '/api/session'),
};
