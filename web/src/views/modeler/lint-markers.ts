import type BaseViewer from 'bpmn-js/lib/BaseViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type Selection from 'diagram-js/lib/features/selection/Selection';
import type { LintProblem } from '@/api/work';

/** Each flagged element gets a coloured outline and a badge with its problem count (messages in the tooltip). */
export function markProblems(modeler: BaseViewer, found: LintProblem[]): void {
  const canvas = modeler.get<Canvas>('canvas');
  const registry = modeler.get<ElementRegistry>('elementRegistry');
  const overlays = modeler.get<Overlays>('overlays');
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
export function reveal(modeler: BaseViewer | undefined, elementId: string): void {
  const el = modeler?.get<ElementRegistry>('elementRegistry').get(elementId);
  if (!modeler || !el) return;
  modeler.get<Selection>('selection').select(el);
  modeler.get<Canvas>('canvas').scrollToElement(el);
}
