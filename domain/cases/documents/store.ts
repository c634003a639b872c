/** Where a stored file is: the engine's document reference (id, store, content hash). */
export interface StoredFile {
  storeDocumentId: string;
  storeId: string;
  contentHash: string;
}

/**
 * Where the bytes go. The cases keep their files in the engine's document store (one store for the engine's
 * documents and the cases', documents/cases/engine-store.ts through the official client); the domain records what
 * each file is to the case and never talks to the engine itself, so the store is handed in.
 */
export interface CaseDocumentStore {
  put(
    file: { fileName: string; contentType: string; bytes: Uint8Array },
    about: { caseNo: string; kind: string; processInstanceKey: string | null },
  ): Promise<StoredFile>;
  get(file: StoredFile & { contentType: string }): Promise<Uint8Array>;
  /** Removes a file whose version could not be recorded, so nothing unreferenced stays in the store. */
  discard(file: StoredFile): Promise<void>;
}
