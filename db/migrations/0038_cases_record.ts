import type { Knex } from 'knex';

/**
 * The case record (M7): escalations of overdue steps and the working calendar the record and the statistics
 * measure step times in. Everything else the record shows is read from the engine (steps, who, when) and from
 * the other case tables (documents, fees).
 *
 * An escalation is a fact written when a step's non-interrupting timer fires (worker `case-escalate`): once per
 * job (the engine delivers at least once), append-only. Who held the task is what the model knows when it fires:
 * the step's candidate group (task header `group`) and, where the job carries it, the assignee.
 *
 * The working calendar is one row a utility edits: its time zone, the working periods of a working day, the
 * working weekdays (ISO, Monday = 1), public holidays and the make-up working days (调休) that fall on weekends.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cis.case_escalations (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cis.cases,
      step text NOT NULL CHECK (length(step) BETWEEN 1 AND 200),
      assignee text,
      candidate_group text,
      process_instance_key text,
      job_key text COLLATE "C" NOT NULL UNIQUE,
      escalated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX case_escalations_case ON cis.case_escalations (case_id, escalated_at);
    CREATE TRIGGER case_escalations_append_only BEFORE UPDATE OR DELETE ON cis.case_escalations
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();
    CREATE TRIGGER case_escalations_no_truncate BEFORE TRUNCATE ON cis.case_escalations
      FOR EACH STATEMENT EXECUTE FUNCTION cis.forbid_change();

    CREATE TABLE cis.case_work_calendar (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
      -- [["08:30","12:00"],["13:30","17:30"]]: local wall-clock periods of a working day, in order
      periods jsonb NOT NULL DEFAULT '[["08:30","12:00"],["13:30","17:30"]]',
      weekdays smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
      holidays date[] NOT NULL DEFAULT '{}',
      extra_workdays date[] NOT NULL DEFAULT '{}',
      updated_by text NOT NULL DEFAULT 'system',
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO cis.case_work_calendar (id) VALUES (1);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS cis.case_escalations, cis.case_work_calendar;`);
}
