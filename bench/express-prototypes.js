// node bench/express-prototypes.js [seconds]   (after `npm run build`: it loads the adapter from dist/)
// Express alone, one JSON route, served two ways: as Express sets itself up (app.handle changes each
// request's and response's prototype with Object.setPrototypeOf) and as HotPathExpressAdapter does
// (node:http creates them with the app's prototypes already). Prints req/s, CPU per request and
// what the young-generation collections promoted to the old space (--trace-gc-nvp), per variant.
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const http = require('node:http');

if (process.env.EXPRESS_PROTOTYPES_SERVER) {
  const express = require('express');
  const app = express();
  app.get('/customers/:id', (request, response) => response.json({ customer_id: request.params.id, tier: 'growth', query: request.query }));
  if (process.env.EXPRESS_PROTOTYPES_SERVER === 'prototypes-at-creation') {
    const { messageClassesWithAppPrototypes } = require('../dist/common/hot-path-express-adapter');
    http.createServer(messageClassesWithAppPrototypes(app), app).listen(0, '127.0.0.1', function () {
      console.log(`PORT ${this.address().port}`);
    });
  } else {
    http.createServer(app).listen(0, '127.0.0.1', function () {
      console.log(`PORT ${this.address().port}`);
    });
  }
} else {
  void main();
}

async function main() {
  const autocannon = require('autocannon');
  const seconds = Number(process.argv[2] ?? 5);
  for (const variant of ['express-as-is', 'prototypes-at-creation']) {
    const child = spawn(process.execPath, ['--trace-gc-nvp', __filename], { env: { ...process.env, EXPRESS_PROTOTYPES_SERVER: variant } });
    let output = '';
    const port = await new Promise((resolve) =>
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /PORT (\d+)/.exec(output);
        if (match) resolve(match[1]);
      }),
    );
    const url = `http://127.0.0.1:${port}/customers/abc?x=1`;
    await autocannon({ url, connections: 32, duration: 1 });
    const cpu = () =>
      readFileSync(`/proc/${child.pid}/stat`, 'utf8')
        .split(') ')[1]
        .split(' ')
        .slice(11, 13)
        .reduce((sum, ticks) => sum + Number(ticks) * 10_000, 0);
    const gcFrom = output.length;
    const cpuBefore = cpu();
    const result = await autocannon({ url, connections: 32, duration: seconds });
    const cpuPerRequest = (cpu() - cpuBefore) / result.requests.total;
    const gc = output.slice(gcFrom);
    const scavenges = [...gc.matchAll(/gc=s .*?promoted=(\d+)/g)].map((match) => Number(match[1]));
    const markCompacts = (gc.match(/gc=mc /g) ?? []).length;
    const promotedMb = scavenges.reduce((sum, bytes) => sum + bytes, 0) / 1e6;
    console.log(
      `${variant.padEnd(24)} ${result.requests.average.toFixed(0).padStart(6)} req/s  CPU ${cpuPerRequest.toFixed(0).padStart(3)} µs/request  ` +
        `${scavenges.length} scavenges promoted ${promotedMb.toFixed(1)} MB, ${markCompacts} mark-compacts in ${seconds} s`,
    );
    child.kill();
  }
}
