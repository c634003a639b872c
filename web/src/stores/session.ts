import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError } from '@/api/http';
import { sessionApi, type User } from '@/api/session';
import { clearAllDrafts } from '@/drafts';

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  let checked = false;

  /** Asks the server once per page load whether the session cookie is still good. */
  async function restore(): Promise<User | null> {
    if (checked) return user.value;
    try {
      user.value = (await sessionApi.current()).user;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      user.value = null;
    }
    checked = true;
    return user.value;
  }

  async function signIn(username: string, password: string): Promise<void> {
    user.value = (await sessionApi.signIn(username, password)).user;
    checked = true;
  }

  async function signOut(): Promise<void> {
    await sessionApi.signOut();
    user.value = null;
    clearAllDrafts(); // an expired session keeps them; signing out on purpose does not
  }

  return { user, restore, signIn, signOut };
});
