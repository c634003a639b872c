import type { Knex } from 'knex';

/**
 * The engine's query side: what the /v2 searches and the audit timeline need beyond the engine's
 * own tables (0002). NB: knex.raw reads every question mark as a placeholder, so none appear below.
 */
export async function up(knex: Knex): Promise<void> {
  // The record log is evidence for auditors: append-only, enforced by the database itself.
  await knex.raw(`
    CREATE FUNCTION engine.record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'engine.record is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER record_no_update_delete BEFORE UPDATE OR DELETE ON engine.record
      FOR EACH ROW EXECUTE FUNCTION engine.record_is_append_only();
    CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON engine.record
      FOR EACH STATEMENT EXECUTE FUNCTION engine.record_is_append_only();
  `);

  // hasStartForm and the start form come from the model: the form id linked by the none start
  // event of the process (zeebe:formDefinition formId). Parsed by PostgreSQL's XML support once, at insert.
  await knex.raw(`
    CREATE FUNCTION engine.start_form_id(resource text, process_id text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE found xml[];
    BEGIN
      found := xpath(
        '/bpmn:definitions/bpmn:process[@id="' || process_id || '"]/bpmn:startEvent[not(bpmn:messageEventDefinition|bpmn:timerEventDefinition|bpmn:signalEventDefinition)]/bpmn:extensionElements/zeebe:formDefinition/@formId',
        xmlparse(document resource),
        ARRAY[ARRAY['bpmn', 'http://www.omg.org/spec/BPMN/20100524/MODEL'], ARRAY['zeebe', 'http://camunda.org/schema/zeebe/1.0']]);
      RETURN NULLIF(found[1]::text, '');
    EXCEPTION WHEN others THEN
      RETURN NULL;
    END $$;
    ALTER TABLE engine.process_definition
      ADD COLUMN start_form_id text GENERATED ALWAYS AS (engine.start_form_id(resource, bpmn_process_id)) STORED;
  `);

  // Java's String.hashCode (UTF-16 code units, int32 wrap-around): Camunda's incidentErrorHashCode filter.
  await knex.raw(`
    CREATE FUNCTION engine.java_hash_code(s text) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE h bigint := 0; c int; unit int;
    BEGIN
      IF s IS NULL THEN RETURN NULL; END IF;
      IF s = '' THEN RETURN 0; END IF;
      FOREACH c IN ARRAY (SELECT array_agg(ascii(ch)) FROM regexp_split_to_table(s, '') AS ch) LOOP
        IF c > 65535 THEN
          unit := 55296 + ((c - 65536) >> 10);
          h := (h * 31 + unit) & 4294967295;
          unit := 56320 + ((c - 65536) & 1023);
          h := (h * 31 + unit) & 4294967295;
        ELSE
          h := (h * 31 + c) & 4294967295;
        END IF;
      END LOOP;
      RETURN (CASE WHEN h >= 2147483648 THEN h - 4294967296 ELSE h END)::int;
    END $$;
  `);

  // The inbox's searches over open tasks (partial indexes: finished tasks, the bulk, stay out of them).
  await knex.raw(`
    CREATE INDEX user_task_open_assignee ON engine.user_task (assignee, creation_date, key) WHERE state = 'CREATED';
    CREATE INDEX user_task_open_unassigned_due ON engine.user_task (due_date, key) WHERE state = 'CREATED' AND assignee IS NULL;
    CREATE INDEX user_task_open_due ON engine.user_task (due_date, key) WHERE state = 'CREATED';
    CREATE INDEX user_task_open_groups ON engine.user_task USING gin (candidate_groups) WHERE state = 'CREATED';
    -- "my groups' unassigned tasks": counting them must not wade through every finished task's groups.
    CREATE INDEX user_task_open_unassigned_groups ON engine.user_task USING gin (candidate_groups) WHERE state = 'CREATED' AND assignee IS NULL;
    CREATE INDEX user_task_open_users ON engine.user_task USING gin (candidate_users) WHERE state = 'CREATED';
    CREATE INDEX user_task_open_process ON engine.user_task (bpmn_process_id, creation_date, key) WHERE state = 'CREATED';
    CREATE INDEX user_task_done_assignee ON engine.user_task (assignee, completion_date) WHERE state <> 'CREATED';
    CREATE INDEX user_task_element_instance ON engine.user_task (element_instance_key);
    CREATE INDEX process_instance_start ON engine.process_instance (start_date);
    CREATE INDEX process_instance_parent_element ON engine.process_instance (parent_element_instance_key);
    CREATE INDEX incident_open ON engine.incident (process_instance_key) WHERE state = 'ACTIVE';
    CREATE INDEX message_subscription_instance ON engine.message_subscription (process_instance_key);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX IF EXISTS engine.user_task_open_assignee, engine.user_task_open_unassigned_due, engine.user_task_open_due,
      engine.user_task_open_groups, engine.user_task_open_unassigned_groups, engine.user_task_open_users, engine.user_task_open_process, engine.user_task_done_assignee,
      engine.user_task_element_instance, engine.process_instance_start, engine.process_instance_parent_element,
      engine.incident_open, engine.message_subscription_instance;
    DROP FUNCTION IF EXISTS engine.java_hash_code(text);
    ALTER TABLE engine.process_definition DROP COLUMN IF EXISTS start_form_id;
    DROP FUNCTION IF EXISTS engine.start_form_id(text, text);
    DROP TRIGGER IF EXISTS record_no_truncate ON engine.record;
    DROP TRIGGER IF EXISTS record_no_update_delete ON engine.record;
    DROP FUNCTION IF EXISTS engine.record_is_append_only();
  `);
}
