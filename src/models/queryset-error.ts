import { ModelError } from '../errors.js';
import type { RegisteredModel } from './model-registry.js';

/**
 * A model's queryset that the database refuses for what it names (SQLSTATE class 42: an unknown
 * column or table, an ambiguous column, a syntax error) is the model's mistake, not the
 * database's: the error names the model, its module and the index, and keeps the database's
 * own words. Anything else (the database unreachable, a lost connection) is returned as it is.
 */
export function querysetError(error: unknown, model: RegisteredModel, index: string, selectedKey?: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^42[0-9A-Z]{3}$/.test(code)) return error;
  const message = error instanceof Error ? error.message : String(error);
  // knex puts the SQL in front of the database's message: `select … - column "titel" does not exist`.
  const dash = message.lastIndexOf(' - ');
  const reason = (dash >= 0 ? message.slice(dash + 3) : message).split('\n')[0]!;
  if (selectedKey && reason.includes(`"${selectedKey}"`) && (code === '42703' || code === '42702')) {
    const why = code === '42703' ? `does not select its key "${selectedKey}"; add it to the select (or set primaryKey)` : `selects its key "${selectedKey}" more than once (a join); select one of them, e.g. "<table>.${selectedKey}"`;
    return new ModelError('QUERYSET_FAILED', `the queryset of model ${model.name} (${model.ref.raw}) for index "${index}" ${why}`, { cause: error });
  }
  return new ModelError('QUERYSET_FAILED', `the queryset of model ${model.name} (${model.ref.raw}) for index "${index}" failed: ${reason}; fix its getSearchQueryset or the table`, { cause: error });
}

/** Runs a read of a model's queryset, naming the model and index when the database refuses it. */
export async function readQueryset<T>(model: RegisteredModel, index: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw querysetError(error, model, index);
  }
}
