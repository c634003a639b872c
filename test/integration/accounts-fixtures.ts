import { residentIdCheckChar } from '../../domain/accounts/id-number.js';

/** A valid 18-digit resident ID for a birth date and sequence. */
export function residentId(birth = '19800101', seq = 1): string {
  const first17 = '110105' + birth + String(seq).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

export const clerk = { actor: 'clerk.li', processInstanceKey: '2251799813685249', taskKey: '2251799813685300' };

export function openInput(overrides: Record<string, unknown> = {}) {
  return {
    customer: {
      kind: 'person',
      idDocType: 'resident_id',
      idDocNumber: residentId(),
      name: '张三',
      phones: ['13812345678'],
    },
    premise: {
      district: '东城区',
      street: '和平街道',
      community: '幸福小区',
      building: '3栋',
      unit: '2单元',
      room: '501室',
    },
    customerClass: 'residential',
    householdSize: 3,
    paymentMethod: 'counter',
    book: { code: 'B001' },
    meter: {
      serial: 'SZ-0001',
      kind: 'ordinary',
      vendor: '宁波水表',
      model: 'LXS-20',
      caliberMm: 20,
      digits: 5,
      installDate: '2024-03-01',
      initialReading: '0',
    },
    ...overrides,
  };
}
