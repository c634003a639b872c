/** A row as pg returns it (int8 and numeric as strings, dates as Date); callers read named columns. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped query results, shaped per query
export type Row = Record<string, any>;
