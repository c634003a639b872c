import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DocumentContentExists, DocumentTooLarge, type DocumentStore, type StoredContent } from './store.js';

export interface S3DocumentStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket (Camunda's bucket path), e.g. `documents/`. */
  prefix?: string;
  /** An S3-compatible server (MinIO, ...); addressed path-style. Unset: AWS itself. */
  endpoint?: string;
  /** Unset: the SDK's default chain (AWS_REGION, profile); `us-east-1` for a custom endpoint without one. */
  region?: string;
  /** Unset: the SDK's default credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile, role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** S3's smallest multipart part (but the last): an upload up to this size is a single PUT. */
const PART_BYTES = 5 * 1024 * 1024;
const HASH_METADATA = 'content-hash';

const status = (e: unknown) => (e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined);
const missing = (e: unknown) => status(e) === 404 || (e as Error).name === 'NoSuchKey';
/** 412: If-None-Match found the key taken; 409: a concurrent conditional write to the key won. */
const taken = (e: unknown) => status(e) === 412 || status(e) === 409;

/**
 * Camunda's AWS S3 document store (store id `aws`): one object per document in a bucket, under an optional
 * prefix, keyed by the SHA-256 of the id (ids are the client's strings, a key must not be read as a path by
 * whatever proxies the pre-signed links). The content hash is kept as object metadata. Unlike the local store it
 * can sign links: pre-signed GET URLs that expire.
 *
 * No overwrite: the write is conditional (If-None-Match: *, honoured by AWS since 2024 and by MinIO); servers that
 * ignore the header are guarded by a HEAD first, which cannot stop two concurrent uploads to one id there.
 */
export class S3DocumentStore implements DocumentStore {
  readonly storeId: string;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3DocumentStoreOptions, storeId = 'aws') {
    this.storeId = storeId;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.client = new S3Client({
      ...(options.endpoint
        ? { endpoint: options.endpoint, forcePathStyle: true, region: options.region ?? 'us-east-1' }
        : options.region
          ? { region: options.region }
          : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  private key(documentId: string): string {
    return this.prefix + createHash('sha256').update(documentId).digest('hex');
  }

  async put(documentId: string, content: Readable, maxBytes: number): Promise<StoredContent> {
    const Key = this.key(documentId);
    if (await this.stat(documentId)) throw new DocumentContentExists(documentId);
    const hash = createHash('sha256');
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let upload: { UploadId: string; parts: CompletedPart[] } | undefined;
    const sendPart = async () => {
      if (!upload) {
        const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }));
        upload = { UploadId: created.UploadId!, parts: [] };
      }
      const PartNumber = upload.parts.length + 1;
      const body = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      const part = await this.client.send(
        new UploadPartCommand({ Bucket: this.bucket, Key, UploadId: upload.UploadId, PartNumber, Body: body }),
      );
      upload.parts.push({ PartNumber, ETag: part.ETag });
    };
    try {
      for await (const chunk of content) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        size += buf.length;
        if (size > maxBytes) throw new DocumentTooLarge(maxBytes);
        hash.update(buf);
        pending.push(buf);
        pendingBytes += buf.length;
        if (pendingBytes >= PART_BYTES) await sendPart();
      }
      const contentHash = hash.digest('hex');
      if (!upload) {
        // The whole content fitted one part: the hash can go along as metadata of a single PUT.
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key,
            Body: Buffer.concat(pending),
            IfNoneMatch: '*',
            Metadata: { [HASH_METADATA]: contentHash },
          }),
        );
      } else {
        if (pendingBytes > 0) await sendPart();
        const { UploadId, parts } = upload as { UploadId: string; parts: CompletedPart[] };
        await this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key,
            UploadId,
            MultipartUpload: { Parts: parts },
            IfNoneMatch: '*',
          }),
        );
        upload = undefined;
        // A multipart upload's metadata is fixed before the hash is known; the hash is recorded with the
        // engine's metadata row either way, so a large object goes without it.
      }
      return { size, contentHash };
    } catch (e) {
      if (upload) {
        const { UploadId } = upload as { UploadId: string };
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }))
          .catch(() => undefined);
      }
      if (taken(e)) throw new DocumentContentExists(documentId);
      throw e;
    }
  }

  async get(documentId: string): Promise<Readable | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(documentId) }));
      return res.Body as Readable;
    } catch (e) {
      if (missing(e)) return null;
      throw e;
    }
  }

  async stat(documentId: string): Promise<{ size: number } | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(documentId) }));
      return { size: res.ContentLength ?? 0 };
    } catch (e) {
      if (missing(e)) return null;
      throw e;
    }
  }

  async delete(documentId: string): Promise<boolean> {
    // S3 answers a delete of a missing key with success too: look first, to tell the caller.
    if (!(await this.stat(documentId))) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(documentId) }));
    return true;
  }

  /**
   * A pre-signed GET URL. Signed, and its expiry counted, by the wall clock, not the engine's (which tests may pin
   * or move): S3 judges the signature's date and expiry by its own clock. SigV4 caps the time to live at 7 days.
   */
  async createLink(documentId: string, timeToLiveMs: number): Promise<{ url: string; expiresAt: Date }> {
    const signedAt = new Date();
    const expiresIn = Math.max(1, Math.ceil(timeToLiveMs / 1000));
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.bucket, Key: this.key(documentId) }),
      { expiresIn, signingDate: signedAt },
    );
    return { url, expiresAt: new Date(signedAt.getTime() + expiresIn * 1000) };
  }
}
