import { lookup } from 'node:dns/promises';
import { ProblemException } from '../http/problem.exception';
import { isPublicAddress, literalAddress } from './webhook-address-policy';
import { WEBHOOK_URL_MAX_LENGTH } from './webhook-endpoint.entity';

const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{White_Space}]/u;

export interface WebhookUrlRules {
  allowHttp: boolean;
  allowPrivateNetworks: boolean;
}

/** A host's addresses, or undefined when it does not resolve. */
export type ResolveHost = (hostname: string) => Promise<string[] | undefined>;

/**
 * Checks an endpoint URL when it is created or changed; 400 naming `url` otherwise. Deliveries check
 * the address again on each connection (DNS may answer differently later).
 */
export async function checkWebhookUrl(text: string, rules: WebhookUrlRules, resolveHost: ResolveHost = resolve): Promise<string> {
  const refuse = (message: string) => ProblemException.field('url', message);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('url must be an absolute URL such as https://hooks.example.com/customer-admin');
  }
  // The parser drops tabs and line breaks and trims spaces: refused, so deliveries go exactly where the caller said.
  if (INVISIBLE_OR_CONTROL.test(text)) throw refuse('url must not contain whitespace, line breaks, tabs or other control or invisible characters');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(`url must use https (not ${url.protocol.slice(0, -1)})`);
  if (url.protocol === 'http:' && !rules.allowHttp) throw refuse('url must use https in production (set WEBHOOK_ALLOW_HTTP=true to allow http)');
  if (url.username || url.password) throw refuse('url must not contain credentials; authenticate deliveries by their signature');
  if (url.hash) throw refuse('url must not have a #fragment');
  // Parsing percent-encodes what needs it, which can lengthen a URL that was short enough as sent.
  if (url.toString().length > WEBHOOK_URL_MAX_LENGTH) throw refuse(`url must be at most ${WEBHOOK_URL_MAX_LENGTH} characters once percent-encoded`);
  if (!rules.allowPrivateNetworks) {
    const addresses = literalAddress(url.hostname) !== undefined ? [literalAddress(url.hostname)!] : await resolveHost(url.hostname);
    if (addresses === undefined) throw refuse(`url's host ${url.hostname} does not resolve`);
    const refused = addresses.find((address) => !isPublicAddress(address));
    if (refused) {
      throw refuse(
        `url's host ${url.hostname} is or resolves to ${refused}, a loopback, private, link-local or metadata address; ` +
          'webhooks go to public addresses unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true',
      );
    }
  }
  return url.toString();
}

async function resolve(hostname: string): Promise<string[] | undefined> {
  try {
    return (await lookup(hostname, { all: true })).map((entry) => entry.address);
  } catch {
    return undefined;
  }
}
