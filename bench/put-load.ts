import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * Background write load for the webhook latency measurement, in a process of its own so the load
 * generator does not delay the receiver and the probes it is measuring:
 * ts-node bench/put-load.ts <url> <key> <ids.json> <seconds> <connections> [GET]
 * (GET: reads of random customers instead of tier changes, for bench/cpu-per-request.sh.)
 */
const [url, key, idsFile, seconds, connections, method = 'PUT'] = process.argv.slice(2);
const ids: string[] = JSON.parse(readFileSync(idsFile, 'utf8'));
const tiers = ['starter', 'growth', 'scale', 'enterprise'];

void autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  headers: { 'x-api-key': key, 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (request) => ({
        ...request,
        method: method as 'GET' | 'PUT',
        path: `/admin/customers/${ids[Math.floor(Math.random() * ids.length)]}`,
        ...(method === 'PUT' ? { body: JSON.stringify({ tier: tiers[Math.floor(Math.random() * tiers.length)] }) } : {}),
      }),
    },
  ],
}).then((result) => {
  console.log(JSON.stringify({ rps: result.requests.average, p99: result.latency.p99, total: result.requests.total, errors: result.errors + result.non2xx }));
});
