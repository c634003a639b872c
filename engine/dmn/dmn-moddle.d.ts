// dmn-moddle 12 exports { DmnModdle } (a factory) without typings; the parser treats its objects as `any`.
declare module 'dmn-moddle' {
  export function DmnModdle(packages?: Record<string, unknown>): {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- moddle's element tree has no typings
    fromXML(xml: string, typeName?: string): Promise<{ rootElement: any; warnings: unknown[] }>;
  };
}
