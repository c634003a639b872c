import type { Timeline } from '../../contracts/timeline.js';
import { maskIdNumber } from '../../domain/accounts/view360.js';
import { maskPhone } from '../../domain/cases/personal-data.js';

// Variables that hold an ID number or a phone, by the names the models give them (idDocNumber,
// newOwnerIdDocNumber, applicantPhone, contactPhone, phone, phones …).
const ID = /id_?doc_?number$/i;
const PHONE = /phones?$/i;

const maskWith = (mask: (s: string) => string, value: unknown): unknown =>
  typeof value === 'string' ? mask(value) : Array.isArray(value) ? value.map((v) => maskWith(mask, v)) : value;

/** A variable's value as a reader who needs no personal data sees it. */
export function maskedVariable(name: string, value: unknown): unknown {
  if (ID.test(name)) return maskWith(maskIdNumber, value);
  if (PHONE.test(name)) return maskWith(maskPhone, value);
  return value;
}

/** The timeline with ID numbers and phones in its variable changes masked (the auditors' view, DESIGN §5). */
export function maskedTimeline(t: Timeline): Timeline {
  return {
    ...t,
    entries: t.entries.map((e) =>
      e.kind === 'variable-set'
        ? { ...e, oldValue: maskedVariable(e.name, e.oldValue), newValue: maskedVariable(e.name, e.newValue) }
        : e,
    ),
  };
}
