import type { SearchDefinition } from '../search/run.js';
import { identity, iso, opt } from './shared.js';

const STATES = ['CORRELATED', 'CREATED', 'DELETED', 'MIGRATED'] as const;

export function messageSubscriptionItem(r: Record<string, unknown>) {
  return {
    messageSubscriptionKey: r.key as string,
    processDefinitionId: r.bpmn_process_id as string,
    processDefinitionKey: r.process_definition_key as string,
    processInstanceKey: opt(r.process_instance_key as string | null),
    elementId: r.element_id as string,
    elementInstanceKey: opt(r.element_instance_key as string | null),
    messageSubscriptionState: r.state as (typeof STATES)[number],
    lastUpdatedDate: iso(r.updated_at) as string,
    messageName: r.message_name as string,
    correlationKey: opt(r.correlation_key as string | null),
    tenantId: r.tenant_id as string,
  };
}

/**
 * Subscriptions of process instances (intermediate and boundary message events, receive tasks);
 * message start events subscribe per definition and are not listed, as in Camunda.
 */
export const messageSubscriptionSearch: SearchDefinition<ReturnType<typeof messageSubscriptionItem>> = {
  base: (k) => k.from('engine.message_subscription as ms').whereNotNull('ms.process_instance_key').select('ms.*'),
  key: 'ms.key',
  filter: {
    messageSubscriptionKey: { kind: 'key', column: 'ms.key' },
    processDefinitionId: { kind: 'string', column: 'ms.bpmn_process_id' },
    processInstanceKey: { kind: 'key', column: 'ms.process_instance_key' },
    elementId: { kind: 'string', column: 'ms.element_id' },
    elementInstanceKey: { kind: 'key', column: 'ms.element_instance_key' },
    messageSubscriptionState: { kind: 'enum', column: 'ms.state', values: identity(...STATES) },
    lastUpdatedDate: { kind: 'datetime', column: 'ms.updated_at' },
    messageName: { kind: 'string', column: 'ms.message_name' },
    correlationKey: { kind: 'string', column: 'ms.correlation_key' },
    tenantId: { kind: 'string', column: 'ms.tenant_id' },
  },
  sort: {
    messageSubscriptionKey: { kind: 'key', column: 'ms.key' },
    processDefinitionId: { kind: 'string', column: 'ms.bpmn_process_id' },
    processInstanceKey: { kind: 'key', column: 'ms.process_instance_key', nullable: true },
    elementId: { kind: 'string', column: 'ms.element_id' },
    elementInstanceKey: { kind: 'key', column: 'ms.element_instance_key', nullable: true },
    messageSubscriptionState: { kind: 'string', column: 'ms.state' },
    lastUpdatedDate: { kind: 'datetime', column: 'ms.updated_at' },
    messageName: { kind: 'string', column: 'ms.message_name' },
    correlationKey: { kind: 'string', column: 'ms.correlation_key', nullable: true },
    tenantId: { kind: 'string', column: 'ms.tenant_id' },
  },
  toItem: messageSubscriptionItem,
};
