// @ts-check
// The layering, in one sentence: platform rooms never import the customer event log, features or the
// app shell; the event log imports only platform; features import platform, the event log, and another
// feature only through its index.ts; nothing imports the app shell. No circular imports anywhere.
const PLATFORM = '^src/(config|database|http|auth|logging|metrics|throttling|idempotency|redis)/';
const EVENTS = '^src/events/';
const FEATURES = '^src/(customers|tiers|webhooks)/';
const SHELL = '^src/(app\\.module|app\\.setup|main)\\.ts$|^src/(health|openapi|problems|scripts)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A file must not reach itself through its imports.', from: {}, to: { circular: true } },
    {
      name: 'platform-imports-platform-only',
      severity: 'error',
      comment: 'Platform rooms (config, database, http, auth, logging, metrics, throttling, idempotency, redis) know no feature, event log or shell.',
      from: { path: PLATFORM },
      to: { path: [EVENTS, FEATURES, SHELL] },
    },
    {
      name: 'config-imports-nothing-of-ours',
      severity: 'error',
      comment: 'Configuration is read first and by everyone: it imports no other room.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'events-import-platform-only',
      severity: 'error',
      comment: 'The customer event log is shared by customers and webhooks: it knows neither.',
      from: { path: EVENTS },
      to: { path: [FEATURES, SHELL] },
    },
    {
      name: 'features-meet-through-index',
      severity: 'error',
      comment: "A feature uses another feature only through that feature's index.ts (its public surface).",
      from: { path: FEATURES, pathNot: '\\.spec\\.ts$' },
      to: { path: FEATURES, pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'nothing-imports-the-shell',
      severity: 'error',
      comment: 'The app shell (app module, main, health, OpenAPI, problem pages, scripts) composes the rooms; rooms do not reach back.',
      from: { path: [PLATFORM, EVENTS, FEATURES] },
      to: { path: SHELL },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
