import type { Knex } from 'knex';

// Reserved for the case record's own tables (filled in by the change that adds them).
export async function up(_knex: Knex): Promise<void> {}

export async function down(_knex: Knex): Promise<void> {}
