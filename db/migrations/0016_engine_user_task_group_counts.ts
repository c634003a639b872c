import type { Knex } from 'knex';

/**
 * The inbox's main query, "my groups' unassigned tasks", needs its total (capped at 10 000 like
 * Camunda's). Counted from user_task it reads every matching heap row (the group filter needs a GIN
 * index, which cannot answer a count by itself): ~6 ms at 100 000 open tasks, most of the request.
 * The set has few distinct group lists, so a trigger keeps the number of open unassigned tasks per
 * (sorted) candidate-group list, in the same transaction as the task row: the total for groups G is
 * the sum over the lists that overlap G — exact, read-your-writes, a few rows to read.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION engine.group_list(groups text[]) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT ARRAY(SELECT DISTINCT g FROM unnest(groups) g ORDER BY g) $$;

    CREATE TABLE engine.user_task_open_group_count (
      groups  text[] PRIMARY KEY,   -- engine.group_list(candidate_groups) of open unassigned tasks
      n       bigint NOT NULL
    );

    CREATE FUNCTION engine.user_task_group_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      was_in boolean := false;
      is_in boolean := false;
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        was_in := OLD.state = 'CREATED' AND OLD.assignee IS NULL AND coalesce(cardinality(OLD.candidate_groups), 0) > 0;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        is_in := NEW.state = 'CREATED' AND NEW.assignee IS NULL AND coalesce(cardinality(NEW.candidate_groups), 0) > 0;
      END IF;
      IF was_in AND is_in AND OLD.candidate_groups = NEW.candidate_groups THEN
        RETURN NULL;
      END IF;
      IF was_in THEN
        UPDATE engine.user_task_open_group_count SET n = n - 1 WHERE groups = engine.group_list(OLD.candidate_groups);
      END IF;
      IF is_in THEN
        INSERT INTO engine.user_task_open_group_count AS c (groups, n) VALUES (engine.group_list(NEW.candidate_groups), 1)
          ON CONFLICT (groups) DO UPDATE SET n = c.n + 1;
      END IF;
      RETURN NULL;
    END $$;

    CREATE TRIGGER user_task_group_count AFTER INSERT OR UPDATE OR DELETE ON engine.user_task
      FOR EACH ROW EXECUTE FUNCTION engine.user_task_group_count_track();

    CREATE FUNCTION engine.user_task_group_count_reset() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM engine.user_task_open_group_count;
      RETURN NULL;
    END $$;
    CREATE TRIGGER user_task_group_count_truncate AFTER TRUNCATE ON engine.user_task
      FOR EACH STATEMENT EXECUTE FUNCTION engine.user_task_group_count_reset();

    LOCK TABLE engine.user_task IN SHARE MODE;
    INSERT INTO engine.user_task_open_group_count (groups, n)
      SELECT engine.group_list(candidate_groups), count(*) FROM engine.user_task
       WHERE state = 'CREATED' AND assignee IS NULL AND coalesce(cardinality(candidate_groups), 0) > 0
       GROUP BY 1;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER IF EXISTS user_task_group_count_truncate ON engine.user_task;
    DROP TRIGGER IF EXISTS user_task_group_count ON engine.user_task;
    DROP FUNCTION IF EXISTS engine.user_task_group_count_reset();
    DROP FUNCTION IF EXISTS engine.user_task_group_count_track();
    DROP TABLE IF EXISTS engine.user_task_open_group_count;
    DROP FUNCTION IF EXISTS engine.group_list(text[]);
  `);
}
