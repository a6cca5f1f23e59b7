import { ValidateBy, ValidationOptions } from 'class-validator';
import { codePointLength } from '../http/validation';
import type { CustomerMetadata } from './customer.entity';

export const METADATA_MAX_KEYS = 50;
export const METADATA_MAX_KEY_LENGTH = 40;
export const METADATA_MAX_STRING_LENGTH = 500;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type MetadataValue = string | number | boolean;
export type MetadataPatch = Record<string, MetadataValue | null>;

/** Every problem with a metadata value from a request; empty when it is valid. `null` values mean "remove this key". */
export function metadataProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ['metadata must be a JSON object of scalar values (string, number, boolean)'];
  }
  const problems: string[] = [];
  const keys = Object.keys(value);
  if (keys.length > METADATA_MAX_KEYS) problems.push(`metadata may have at most ${METADATA_MAX_KEYS} keys (got ${keys.length})`);
  for (const key of keys) {
    const shownKey = JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
    if (key.length === 0 || codePointLength(key) > METADATA_MAX_KEY_LENGTH) {
      problems.push(`metadata key ${shownKey} must be 1 to ${METADATA_MAX_KEY_LENGTH} characters`);
      continue;
    }
    if (RESERVED_KEYS.has(key)) {
      problems.push(`metadata key ${shownKey} is reserved`);
      continue;
    }
    const entry = (value as Record<string, unknown>)[key];
    if (entry === null || typeof entry === 'boolean') continue;
    if (typeof entry === 'number' && Number.isFinite(entry)) continue;
    if (typeof entry === 'string') {
      if (codePointLength(entry) > METADATA_MAX_STRING_LENGTH) {
        problems.push(`metadata.${key} must be at most ${METADATA_MAX_STRING_LENGTH} characters (code points; got ${codePointLength(entry)})`);
      }
      continue;
    }
    problems.push(`metadata.${key} must be a string, number, boolean or null (nested objects and arrays are not allowed)`);
  }
  return problems;
}

export function IsMetadataPatch(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMetadataPatch',
      validator: {
        validate: (value) => metadataProblems(value).length === 0,
        defaultMessage: (args) => metadataProblems(args?.value).join('; '),
      },
    },
    options,
  );
}

/** Merges a patch key by key: a key set to null is removed; `null` for the whole patch removes every key. */
export function mergeMetadata(current: CustomerMetadata, patch: MetadataPatch | null): CustomerMetadata {
  if (patch === null) return {};
  const merged: CustomerMetadata = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return sortKeys(merged);
}

export function sortKeys(metadata: CustomerMetadata): CustomerMetadata {
  return Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
