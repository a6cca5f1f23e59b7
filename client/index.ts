import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type Customer = components['schemas']['Customer'];
export type UpdateCustomer = components['schemas']['UpdateCustomer'];
export type CreateCustomer = components['schemas']['CreateCustomer'];
export type Problem = components['schemas']['Problem'];

export interface CustomerAdminClientOptions extends Omit<ClientOptions, 'headers'> {
  /** e.g. http://localhost:3000 */
  baseUrl: string;
  /** An admin key, sent as x-api-key on every request. */
  apiKey: string;
}

/**
 * A typed client for the Customer Admin API, generated from openapi.json (openapi-typescript types,
 * openapi-fetch runtime): paths, parameters, bodies and responses are checked by the compiler.
 */
export function createCustomerAdminClient({ apiKey, ...options }: CustomerAdminClientOptions): Client<paths> {
  return createClient<paths>({ ...options, headers: { 'x-api-key': apiKey } });
}

export { startCustomerAdminApi } from './testing';
export type { RunningCustomerAdminApi, StartCustomerAdminApiOptions } from './testing';
