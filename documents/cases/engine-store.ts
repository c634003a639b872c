import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import type { CaseDocumentStore } from '../../domain/cases/documents/service.js';

/**
 * The cases' files in the engine's document store, through the official client's documents API (/v2/documents):
 * the same store (DATA_DIR/documents, or S3) the engine keeps every document in, on the embedded engine and on a
 * Camunda 8.8 cluster alike. The reference (id, store id, content hash) is what the case keeps.
 *
 * The client must run without request validation for these calls: the 8.8.4 client's schema types the upload's
 * `file` as a string (its strict mode refuses every real File), and a binary download as a string too (a PDF comes
 * back as a Blob). The server's and the workers' clients validate nothing, as in production. `owner` discards a file
 * whose version could not be recorded: the person who uploaded it may not delete documents (admins may).
 */
export function engineDocumentStore(client: CamundaClient, owner: CamundaClient = client): CaseDocumentStore {
  return {
    async put(file, about) {
      const ref = (await client.createDocument({
        file: new File([file.bytes as Uint8Array<ArrayBuffer>], file.fileName, { type: file.contentType }),
        metadata: {
          contentType: file.contentType,
          fileName: file.fileName,
          ...(about.processInstanceKey ? { processInstanceKey: about.processInstanceKey } : {}),
          customProperties: { caseNo: about.caseNo, kind: about.kind },
        },
      } as never)) as { documentId: string; storeId: string; contentHash: string };
      return { storeDocumentId: ref.documentId, storeId: ref.storeId, contentHash: ref.contentHash };
    },
    async get(file) {
      const data: unknown = await client.getDocument({
        documentId: file.storeDocumentId,
        storeId: file.storeId,
        contentHash: file.contentHash,
      } as never);
      if (data instanceof Blob) return new Uint8Array(await data.arrayBuffer());
      if (data instanceof Uint8Array) return data;
      // a string would be the bytes decoded as text already: re-encoding it would hand out a corrupt file
      throw new Error(`the document store answered ${typeof data} for document ${file.storeDocumentId}`);
    },
    async discard(file) {
      await owner.deleteDocument({ documentId: file.storeDocumentId, storeId: file.storeId } as never);
    },
  };
}
