import type { LintProblem } from '@/api/work';

// bpmn-js services are untyped at this boundary.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** Each flagged element gets a coloured outline and a badge with its problem count (messages in the tooltip). */
export function markProblems(modeler: any, found: LintProblem[]): void {
  const canvas = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  const overlays = modeler.get('overlays');
  overlays.remove({ type: 'lint' });
  for (const el of registry.getAll()) for (const c of ['lint-error', 'lint-warn']) canvas.removeMarker(el.id, c);
  const byElement = new Map<string, LintProblem[]>();
  for (const p of found) byElement.set(p.elementId, [...(byElement.get(p.elementId) ?? []), p]);
  for (const [id, list] of byElement) {
    if (!registry.get(id)) continue;
    const worst = list.some((p) => p.category !== 'warn' && p.category !== 'info') ? 'error' : 'warn';
    canvas.addMarker(id, `lint-${worst}`);
    const badge = document.createElement('span'); // text only: messages never become HTML
    badge.className = `lint-badge ${worst}`;
    badge.textContent = String(list.length);
    badge.title = list.map((p) => p.message).join('\n');
    badge.dataset.test = `lint-badge-${id}`;
    overlays.add(id, 'lint', { position: { top: -10, right: 10 }, html: badge });
  }
}

/** Selects an element and scrolls it into view (from the problem list). */
export function reveal(modeler: any, elementId: string): void {
  const el = modeler?.get('elementRegistry').get(elementId);
  if (!el) return;
  modeler.get('selection').select(el);
  modeler.get('canvas').scrollToElement(el);
}
