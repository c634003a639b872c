import { freshDatabase, type TestDatabase } from '../support/db.js';

// Migration 0004: what the database itself guarantees for the query side.
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.drop());

const record = {
  key: '2251799813685249',
  value_type: 'PROCESS_INSTANCE',
  intent: 'ELEMENT_ACTIVATED',
  process_instance_key: '2251799813685249',
  timestamp: new Date('2026-01-01T00:00:00Z'),
};

describe('the record log is append-only in the database', () => {
  it('accepts inserts and refuses UPDATE, DELETE and TRUNCATE, even as the table owner', async () => {
    await db.knex('engine.record').insert(record);
    await expect(db.knex('engine.record').update({ intent: 'ELEMENT_COMPLETED' })).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(db.knex('engine.record').delete()).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.knex.raw('TRUNCATE engine.record')).rejects.toThrow(/append-only: TRUNCATE refused/);
    const rows = await db.knex('engine.record').select('intent');
    expect(rows).toEqual([{ intent: 'ELEMENT_ACTIVATED' }]);
  });
});

describe('process definitions carry their start form id, parsed from the XML', () => {
  const xml = (startEvent: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
  <bpmn:process id="other"><bpmn:startEvent id="o"><bpmn:extensionElements><zeebe:formDefinition formId="wrong" /></bpmn:extensionElements></bpmn:startEvent></bpmn:process>
  <bpmn:process id="p" isExecutable="true">${startEvent}
    <bpmn:subProcess id="sp" triggeredByEvent="true"><bpmn:startEvent id="inner"><bpmn:extensionElements><zeebe:formDefinition formId="nested" /></bpmn:extensionElements></bpmn:startEvent></bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;
  const insert = async (key: string, resource: string) => {
    await db.knex('engine.process_definition').insert({
      key,
      bpmn_process_id: 'p',
      version: Number(key),
      resource_name: 'p.bpmn',
      resource,
      checksum: key,
      deployment_key: '1',
      created_at: new Date(),
    });
    return (await db.knex('engine.process_definition').where({ key }).first()).start_form_id;
  };

  it('reads zeebe:formDefinition of the process none start event only', async () => {
    expect(
      await insert(
        '1',
        xml(
          '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:formDefinition formId="application-form" /></bpmn:extensionElements></bpmn:startEvent>',
        ),
      ),
    ).toBe('application-form');
    expect(await insert('2', xml('<bpmn:startEvent id="s" />'))).toBeNull();
    expect(
      await insert(
        '3',
        xml(
          '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:formDefinition formId="f" /></bpmn:extensionElements><bpmn:messageEventDefinition /></bpmn:startEvent>',
        ),
      ),
    ).toBeNull();
    expect(await insert('4', 'not xml at all')).toBeNull();
  });
});

describe('Java String.hashCode for incidentErrorHashCode', () => {
  it.each([
    ['', 0],
    ['hello', 99162322],
    ['Hello World', -862545276],
    ['Expected result of the expression to be a boolean', null],
    ['水费 😀', null],
  ])('%j', async (s, known) => {
    const javaHash = (t: string) => {
      let h = 0;
      for (let i = 0; i < t.length; i++) h = (Math.imul(h, 31) + t.charCodeAt(i)) | 0;
      return h;
    };
    const { rows } = await db.knex.raw('SELECT engine.java_hash_code(?::text) AS h', [s]);
    expect(rows[0].h).toBe(known ?? javaHash(s));
    expect(rows[0].h).toBe(javaHash(s));
  });
});
