declare module '@koa/multer' {
  import type Koa from 'koa';
  interface Options {
    storage?: unknown;
    limits?: { fileSize?: number; files?: number; fieldSize?: number };
  }
  interface Instance {
    array(field: string, maxCount?: number): Koa.Middleware;
    any(): Koa.Middleware;
  }
  function multer(options?: Options): Instance;
  namespace multer {
    function memoryStorage(): unknown;
  }
  export default multer;
}
