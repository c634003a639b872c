import type { Runtime } from '../runtime.js';
import { countActiveInstances, formByKey, processDefinitionByKey } from '../../store/definitions.js';
import { invalidState, notFound } from '../errors.js';
import { insertSql } from '../../store/sql.js';
import { startSubscriptionsAfterDeletionSql } from '../events/starts.js';
import { deleteRequirements, liveRequirementsByKey } from '../../store/decisions.js';

/**
 * Deletes a process definition (no running instances allowed), a form, or a decision requirements graph with its
 * decisions (the previous versions become the latest again); versions are never reused.
 */
export async function deleteResource(rt: Runtime, key: string, actor: string | null): Promise<void> {
  const missing = notFound(
    `Command 'DELETE' rejected with code 'NOT_FOUND': Expected to delete resource but no resource found with key \`${key}\``,
  );
  if (!/^\d{1,19}$/.test(key)) throw missing;
  await rt.tx(async (client) => {
    const def = await processDefinitionByKey(client, key);
    const now = rt.clock.now();
    if (def && !def.deleted) {
      if ((await countActiveInstances(client, key)) > 0)
        throw invalidState(
          `Command 'DELETE' rejected with code 'INVALID_STATE': Expected to delete resource with key '${key}' but there are still running instances`,
        );
      await client.query(`UPDATE engine.process_definition SET deleted = true WHERE key = $1`, [key]);
      const starts = await startSubscriptionsAfterDeletionSql(rt, client, def, now);
      await client.query(
        [...starts, ''].join(';\n') +
          insertSql('record', [
            {
              key,
              value_type: 'PROCESS',
              intent: 'DELETED',
              process_definition_key: key,
              bpmn_process_id: def.bpmn_process_id,
              version: def.version,
              tenant_id: def.tenant_id,
              actor,
              timestamp: now,
              value: {},
            },
          ]) +
          ';COMMIT',
      );
      return;
    }
    const form = await formByKey(client, key);
    if (form && !form.deleted) {
      await client.query(`UPDATE engine.form SET deleted = true WHERE key = $1`, [key]);
      await client.query(
        insertSql('record', [
          {
            key,
            value_type: 'FORM',
            intent: 'DELETED',
            tenant_id: form.tenant_id,
            actor,
            timestamp: now,
            value: { formId: form.form_id },
          },
        ]) + ';COMMIT',
      );
      return;
    }
    const drg = await liveRequirementsByKey(client, key);
    if (drg) {
      const decisions = await deleteRequirements(client, key);
      const record = (k: string, valueType: string, value: Record<string, unknown>) => ({
        key: k,
        value_type: valueType,
        intent: 'DELETED',
        tenant_id: drg.tenant_id,
        actor,
        timestamp: now,
        value,
      });
      await client.query(
        insertSql('record', [
          ...decisions.map((d) => record(d.key, 'DECISION', { decisionId: d.decision_id, version: d.version })),
          record(key, 'DECISION_REQUIREMENTS', {
            decisionRequirementsId: drg.decision_requirements_id,
            version: drg.version,
          }),
        ]) + ';COMMIT',
      );
      return;
    }
    throw missing;
  });
}
