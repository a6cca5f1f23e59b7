import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type Customer = components['schemas']['Customer'];
export type UpdateCustomer = components['schemas']['UpdateCustomer'];
export type CreateCustomer = components['schemas']['CreateCustomer'];
export type Problem = components['schemas']['Problem'];
export type ScheduledChange = components['schemas']['ScheduledChange'];
/** The body POSTed to a webhook endpoint; `CustomerWebhookEvent` narrows `data` by `type`. */
export type WebhookEvent = components['schemas']['WebhookEvent'];
export type CustomerWebhookEvent =
  | components['schemas']['CustomerCreatedWebhook']
  | components['schemas']['CustomerUpdatedWebhook']
  | components['schemas']['CustomerArchivedWebhook']
  | components['schemas']['CustomerRestoredWebhook']
  | components['schemas']['CustomerErasedWebhook'];

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
