import type { Knex } from 'knex';

/**
 * Repair service (M8): tickets, work orders with their print log, field results (materials, photos) and
 * call-back records. Service levels and call-back settings are rows, not code: a utility edits them.
 * Facts (prints, materials, photos, call-backs, escalations) are append-only; tickets and work orders
 * change state, and every change leaves an audit row (cis.audit_log).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Hours from the ticket's creation until dispatch and until the field work is due, per urgency.
    CREATE TABLE cis.repair_sla (
      urgency text PRIMARY KEY,
      rank integer NOT NULL UNIQUE,
      dispatch_hours integer NOT NULL CHECK (dispatch_hours > 0),
      field_hours integer NOT NULL CHECK (field_hours > 0)
    );
    INSERT INTO cis.repair_sla (urgency, rank, dispatch_hours, field_hours) VALUES
      ('emergency', 1, 1, 4), ('urgent', 2, 2, 12), ('normal', 3, 8, 48), ('low', 4, 24, 120);

    -- Call-back timing (ISO 8601 durations) and the photo size limit.
    CREATE TABLE cis.repair_settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL
    );
    INSERT INTO cis.repair_settings (key, value) VALUES
      ('callbackDelay', '"P3D"'), ('callbackRetryDelay', '"P1D"'), ('callbackMaxAttempts', '3'),
      ('photoMaxBytes', '5242880');

    CREATE TABLE cis.repair_ticket_counters (
      day date PRIMARY KEY,
      last integer NOT NULL
    );

    CREATE TABLE cis.repair_tickets (
      id bigserial PRIMARY KEY,
      ticket_no text COLLATE "C" NOT NULL UNIQUE,
      account_id bigint REFERENCES cis.accounts,
      premise_id bigint REFERENCES cis.premises,
      supply_address text NOT NULL CHECK (length(supply_address) > 0),
      category text NOT NULL CHECK (category IN ('leak', 'no_water', 'low_pressure', 'meter_fault', 'water_quality', 'other')),
      description text NOT NULL DEFAULT '',
      contact_name text NOT NULL DEFAULT '',
      contact_phone text NOT NULL CHECK (length(contact_phone) > 0),
      urgency text NOT NULL REFERENCES cis.repair_sla,
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'dispatched', 'on_site', 'completed', 'closed', 'cancelled')),
      -- the account was closed when the ticket was taken (allowed: a leak at a demolished site still needs a crew)
      account_closed boolean NOT NULL DEFAULT false,
      duplicate_of text[] NOT NULL DEFAULT '{}',
      dispatch_due_at timestamptz NOT NULL,
      field_due_at timestamptz NOT NULL,
      process_instance_key text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      closed_at timestamptz,
      close_reason text
    );
    CREATE INDEX repair_tickets_account ON cis.repair_tickets (account_id, id);
    CREATE INDEX repair_tickets_premise ON cis.repair_tickets (premise_id, id);
    CREATE INDEX repair_tickets_open ON cis.repair_tickets (status) WHERE status NOT IN ('closed', 'cancelled');

    CREATE TABLE cis.repair_work_orders (
      id bigserial PRIMARY KEY,
      ticket_id bigint NOT NULL REFERENCES cis.repair_tickets,
      crew text NOT NULL,
      assigned_by text NOT NULL,
      assigned_at timestamptz NOT NULL DEFAULT now(),
      instructions text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'on_site', 'completed', 'superseded')),
      arrived_at timestamptz,
      completed_at timestamptz,
      -- the work order (派工单) as printed when the crew was assigned
      pdf bytea
    );
    CREATE INDEX repair_work_orders_ticket ON cis.repair_work_orders (ticket_id);
    CREATE INDEX repair_work_orders_crew_open ON cis.repair_work_orders (crew) WHERE status IN ('assigned', 'on_site');
    CREATE UNIQUE INDEX repair_work_orders_one_open ON cis.repair_work_orders (ticket_id)
      WHERE status IN ('assigned', 'on_site');

    CREATE TABLE cis.repair_work_order_prints (
      id bigserial PRIMARY KEY,
      work_order_id bigint NOT NULL REFERENCES cis.repair_work_orders,
      printed_by text NOT NULL,
      printed_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL CHECK (reason IN ('assigned', 'reprint'))
    );
    CREATE INDEX repair_work_order_prints_order ON cis.repair_work_order_prints (work_order_id);

    CREATE TABLE cis.repair_results (
      id bigserial PRIMARY KEY,
      work_order_id bigint NOT NULL UNIQUE REFERENCES cis.repair_work_orders,
      ticket_id bigint NOT NULL REFERENCES cis.repair_tickets,
      arrived_at timestamptz NOT NULL,
      result text NOT NULL CHECK (length(result) > 0),
      resolved boolean NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX repair_results_ticket ON cis.repair_results (ticket_id);

    CREATE TABLE cis.repair_materials (
      id bigserial PRIMARY KEY,
      result_id bigint NOT NULL REFERENCES cis.repair_results,
      name text NOT NULL CHECK (length(name) > 0),
      quantity numeric(12, 3) NOT NULL CHECK (quantity > 0),
      unit text NOT NULL DEFAULT ''
    );
    CREATE INDEX repair_materials_result ON cis.repair_materials (result_id);

    CREATE TABLE cis.repair_photos (
      id bigserial PRIMARY KEY,
      work_order_id bigint NOT NULL REFERENCES cis.repair_work_orders,
      file_name text NOT NULL,
      content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      content bytea NOT NULL,
      uploaded_by text NOT NULL,
      uploaded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX repair_photos_order ON cis.repair_photos (work_order_id);

    CREATE TABLE cis.repair_callbacks (
      id bigserial PRIMARY KEY,
      ticket_id bigint NOT NULL REFERENCES cis.repair_tickets,
      attempt integer NOT NULL CHECK (attempt > 0),
      reached boolean NOT NULL,
      satisfaction integer CHECK (satisfaction BETWEEN 1 AND 5),
      notes text NOT NULL DEFAULT '',
      called_by text NOT NULL,
      called_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (ticket_id, attempt),
      CHECK (reached OR satisfaction IS NULL)
    );

    -- An overdue step handed to the managers (from the process's escalation timers).
    CREATE TABLE cis.repair_escalations (
      id bigserial PRIMARY KEY,
      ticket_id bigint NOT NULL REFERENCES cis.repair_tickets,
      step text NOT NULL CHECK (step IN ('dispatch', 'field')),
      escalated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (ticket_id, step)
    );
  `);
  for (const table of [
    'repair_work_order_prints',
    'repair_materials',
    'repair_photos',
    'repair_callbacks',
    'repair_escalations',
  ]) {
    await knex.raw(`
      CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON cis.${table}
        FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();
      CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON cis.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION cis.forbid_change();
    `);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS cis.repair_escalations, cis.repair_callbacks, cis.repair_photos, cis.repair_materials,
      cis.repair_results, cis.repair_work_order_prints, cis.repair_work_orders, cis.repair_tickets,
      cis.repair_ticket_counters, cis.repair_settings, cis.repair_sla CASCADE;
  `);
}
