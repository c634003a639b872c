// Drafts of open task forms, per task key, in sessionStorage (this tab only): an expired session, a reload or a
// network error loses nothing typed. Cleared after a successful completion and on an explicit sign-out, so the next
// user of a shared counter PC does not see them.
const PREFIX = 'aquaflow.draft.';

export function loadDraft(taskKey: string): Record<string, unknown> | undefined {
  const text = sessionStorage.getItem(PREFIX + taskKey);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined; // a damaged draft is dropped, never an error on opening the task
  }
}

export function saveDraft(taskKey: string, data: Record<string, unknown>): void {
  sessionStorage.setItem(PREFIX + taskKey, JSON.stringify(data));
}

export function clearDraft(taskKey: string): void {
  sessionStorage.removeItem(PREFIX + taskKey);
}

export function clearAllDrafts(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
}
