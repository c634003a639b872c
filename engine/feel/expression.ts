import { withListAliases } from './list-aliases.js';

/** Zeebe marks an attribute value as FEEL with a leading '='; anything else is a static value. */
export function isExpression(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trimStart().startsWith('=');
}

/** The FEEL text behind the '=' marker (whitespace after the marker is allowed, as in Zeebe). */
export function expressionBody(value: string): string {
  const trimmed = value.trimStart();
  return withListAliases(trimmed.startsWith('=') ? trimmed.slice(1).trim() : trimmed);
}
