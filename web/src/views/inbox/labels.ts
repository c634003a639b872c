import { useI18n } from 'vue-i18n';
import type { Task } from '@/api/work';
import { useBilingual } from '@/use-bilingual';

/** The case's customer on a listed task (GET /api/tasks: root-scope accountNo, customerName, address). */
export type TaskCustomer = { accountNo?: string; customerName?: string; address?: string };
export const customerOf = (task: Task): TaskCustomer => (task.customer ?? {}) as TaskCustomer;

/**
 * A task's priority as a word, never the engine's number. Camunda priorities run 0–100 (default 50); the bands:
 * 76 and above 高 (the inbox filter's 紧急 starts at 76), 25–75 中 (the default 50 included), below 25 低.
 */
export function priorityBand(priority: number | undefined): 'high' | 'medium' | 'low' {
  const p = priority ?? 50;
  if (p >= 76) return 'high';
  if (p >= 25) return 'medium';
  return 'low';
}

/**
 * What the case is, in the screen's language: a business case's type by its process id (businessCases.type),
 * otherwise the process's own name in the screen's language. Never the process id itself.
 */
export function useProcessLabel() {
  const { t, te } = useI18n();
  const bilingual = useBilingual();
  return (task: Pick<Task, 'processDefinitionId' | 'processName'>): string => {
    const key = `businessCases.type.${task.processDefinitionId}`;
    return te(key) ? t(key) : bilingual(task.processName);
  };
}
