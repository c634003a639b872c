import { parseExpression } from 'feelin';

/** A span of the text replaced by `text` (from = to: an insertion); `order` ranks edits at one position. */
export interface Edit {
  from: number;
  to: number;
  text: string;
  order: number;
}

interface Span {
  from: number;
  to: number;
}

/** A node of feelin's parse tree as its `iterate` hands it over. */
type NodeRef = Parameters<NonNullable<Parameters<ReturnType<typeof parseExpression>['iterate']>[0]['enter']>>[0];

/**
 * Rewrites every binary operation of the parse tree whose node is `node` and whose operator (child
 * `opNode`) is one of `symbols`: `edit` says what to change around it. Null when there is nothing to
 * change or the text does not parse (feelin then reports the syntax error on the original text).
 */
export function rewriteBinaryOperations(
  body: string,
  context: Record<string, unknown>,
  node: string,
  opNode: string,
  symbols: string[],
  edit: (left: Span, op: Span, right: Span, symbol: string, parent: string | undefined) => Edit[],
): string | null {
  return rewrite(body, context, node, (ref) => {
    const left = ref.node.firstChild;
    const op = left?.nextSibling;
    const right = op?.nextSibling;
    if (!left || !op || !right || op.name !== opNode) return [];
    const symbol = body.slice(op.from, op.to).trim();
    return symbols.includes(symbol) ? edit(left, op, right, symbol, ref.node.parent?.name) : [];
  });
}

/** The text with the edits applied, or null when there are none. */
function applyEdits(body: string, edits: Edit[]): string | null {
  if (edits.length === 0) return null;
  edits.sort((a, b) => a.from - b.from || a.order - b.order);
  let out = '';
  let last = 0;
  for (const e of edits) {
    out += body.slice(last, e.from) + e.text;
    last = e.to;
  }
  return out + body.slice(last);
}

/**
 * Rewrites every node of the parse tree named `node`: `edit` gets its children's spans (with their node names)
 * and says what to change. Null when there is nothing to change or the text does not parse.
 */
export function rewriteNodes(
  body: string,
  context: Record<string, unknown>,
  node: string,
  edit: (children: (Span & { name: string })[]) => Edit[],
): string | null {
  return rewrite(body, context, node, (ref) => {
    const children: (Span & { name: string })[] = [];
    for (let c = ref.node.firstChild; c; c = c.nextSibling) children.push({ from: c.from, to: c.to, name: c.name });
    return edit(children);
  });
}

/** The edits `edit` asks for at every node named `node`, applied; null when none or when the text does not parse. */
function rewrite(
  body: string,
  context: Record<string, unknown>,
  node: string,
  edit: (ref: NodeRef) => Edit[],
): string | null {
  const edits: Edit[] = [];
  try {
    parseExpression(body, context, undefined).iterate({
      enter(ref) {
        if (ref.type.isError) throw new Error('syntax');
        if (ref.name === node) edits.push(...edit(ref));
      },
    });
  } catch {
    return null;
  }
  return applyEdits(body, edits);
}
