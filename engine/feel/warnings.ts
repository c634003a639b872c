import type { Warning } from 'feelin';

export interface FeelWarning {
  type: string;
  message: string;
}

/**
 * feelin's warnings in the wording of Camunda's FEEL engine, so incident messages read like Zeebe's. A call of
 * an unknown function shows up in feelin as "variable not found" followed by "cannot invoke null"; both are
 * folded into one NO_FUNCTION_FOUND warning.
 */
export function zeebeWarnings(warnings: readonly Warning[]): FeelWarning[] {
  const out: FeelWarning[] = [];
  for (let i = 0; i < warnings.length; i++) {
    const warning = warnings[i];
    const variable = warning.type === 'NO_VARIABLE_FOUND' ? /^Variable '(.*)' not found$/.exec(warning.message) : null;
    const next = warnings[i + 1];
    if (variable && next?.type === 'NO_FUNCTION_FOUND' && next.position.from === warning.position.from) {
      out.push({ type: 'NO_FUNCTION_FOUND', message: `No function found with name '${printable(variable[1])}'` });
      i++;
    } else if (variable) {
      out.push({ type: 'NO_VARIABLE_FOUND', message: `No variable found with name '${printable(variable[1])}'` });
    } else {
      out.push({ type: warning.type, message: printable(warning.message) });
    }
  }
  return out;
}

/** Zeebe appends the warnings of a failed evaluation to the incident message in this form. */
export function withWarnings(message: string, warnings: readonly FeelWarning[]): string {
  if (warnings.length === 0) return printable(message);
  return printable(
    `${message} The evaluation reported the following warnings:\n${warnings.map((w) => `[${w.type}] ${w.message}`).join('\n')}`,
  );
}

/**
 * Messages end up in incident rows: PostgreSQL text cannot hold NUL, so a NUL quoted from a value is written
 * as the escape `\u0000`.
 */
export function printable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\\u0000') : text;
}
