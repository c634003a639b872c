import pg from 'pg';

/** int8 and numeric stay strings: engine keys are int64 and must not lose precision. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface Store {
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export function createStore(url: string, size: number): Store {
  const pool = new pg.Pool({ connectionString: url, max: size, types: types as never });
  pool.on('error', () => {}); // idle client errors (e.g. server restart) must not crash the process
  return { pool, url, close: () => pool.end() };
}
