import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { createTimelineReader, type Timeline } from '../../engine/index.js';
import { READ } from './consistency.js';

export interface TimelineSource {
  read(client: CamundaClient, processInstanceKey: string): Promise<Timeline | null>;
  close(): Promise<void>;
}

/** Embedded engine: the record log through the reader the engine exports (actors, variable changes, incidents). */
export function recordLogTimeline(databaseUrl: string): TimelineSource {
  const reader = createTimelineReader(databaseUrl);
  return { read: (_client, key) => reader.read(key), close: () => reader.close() };
}

/**
 * A Camunda 8 cluster has no record log to read here: the timeline is rebuilt from element-instance search
 * (what ran, when, how long), without actors or variable changes.
 */
export function elementInstanceTimeline(): TimelineSource {
  return {
    async read(client, processInstanceKey) {
      const pi = await client
        .getProcessInstance({ processInstanceKey: processInstanceKey as never }, READ)
        .catch(() => null);
      if (!pi) return null;
      const found = await client.searchElementInstances(
        {
          filter: { processInstanceKey },
          sort: [{ field: 'startDate', order: 'ASC' }],
          page: { limit: 1000 },
        } as never,
        READ,
      );
      const elements = (found.items ?? [])
        .filter((e) => e.type !== 'PROCESS')
        .map((e) => ({
          elementInstanceKey: String(e.elementInstanceKey),
          elementId: String(e.elementId),
          elementType: e.type,
          flowScopeKey: null,
          enteredAt: e.startDate,
          enteredBy: null,
          leftAt: e.endDate ?? undefined,
          leftBy: null,
          durationMs: e.endDate ? Date.parse(e.endDate) - Date.parse(e.startDate) : undefined,
          outcome: (e.state === 'ACTIVE' ? 'ACTIVE' : e.state === 'COMPLETED' ? 'COMPLETED' : 'TERMINATED') as
            'ACTIVE' | 'COMPLETED' | 'TERMINATED',
        }));
      const entries: Timeline['entries'] = [];
      elements.forEach((e, i) => {
        const base = {
          position: String(i * 2),
          actor: null,
          elementId: e.elementId,
          elementInstanceKey: e.elementInstanceKey,
        };
        entries.push({ ...base, at: e.enteredAt, kind: 'element-entered', elementType: e.elementType });
        if (e.leftAt && e.outcome !== 'ACTIVE')
          entries.push({
            ...base,
            position: String(i * 2 + 1),
            at: e.leftAt,
            kind: 'element-left',
            elementType: e.elementType,
            outcome: e.outcome,
            durationMs: e.durationMs ?? null,
          });
      });
      entries.sort((a, b) => a.at.localeCompare(b.at));
      return {
        processInstanceKey,
        processDefinitionKey: String(pi.processDefinitionKey),
        bpmnProcessId: pi.processDefinitionId,
        version: pi.processDefinitionVersion,
        startedAt: pi.startDate,
        ...(pi.endDate ? { endedAt: pi.endDate, durationMs: Date.parse(pi.endDate) - Date.parse(pi.startDate) } : {}),
        outcome: pi.state === 'ACTIVE' ? 'ACTIVE' : pi.state === 'COMPLETED' ? 'COMPLETED' : 'TERMINATED',
        elements,
        entries,
      };
    },
    close: async () => {},
  };
}
