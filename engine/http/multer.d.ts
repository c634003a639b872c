declare module '@koa/multer' {
  import type Koa from 'koa';
  interface Options {
    storage?: unknown;
    limits?: { fileSize?: number; files?: number; fields?: number; fieldSize?: number; parts?: number };
  }
  interface Instance {
    array(field: string, maxCount?: number): Koa.Middleware;
    any(): Koa.Middleware;
  }
  function multer(options?: Options): Instance;
  namespace multer {
    function memoryStorage(): unknown;
    /** multer's storage engine contract: store the file's stream, report what to put on `req.files`. */
    interface StorageEngine {
      _handleFile(req: unknown, file: unknown, cb: (error: Error | null, info?: unknown) => void): void;
      _removeFile(req: unknown, file: unknown, cb: (error: Error | null) => void): void;
    }
  }
  export default multer;
}
