/**
 * An id for one submission of a form, kept across retries so the server acts once (a payment's serial, a call's
 * intake). `crypto.getRandomValues`, not `randomUUID`: the latter exists only in secure contexts, and a district
 * office reaches the server over plain http on the utility's network.
 */
export function newSubmissionId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
