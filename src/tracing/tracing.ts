import { loadDotEnv } from '../config/dot-env';
import { PACKAGE_VERSION } from '../config/package-version';
import type * as OtelSdk from './otel-sdk';

let sdk: typeof OtelSdk | undefined;
let stop: (() => Promise<void>) | undefined;

/**
 * Starts OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set (in the environment or
 * `.env`); otherwise loads nothing of it, so tracing off costs nothing. Called by register.ts, which
 * main.ts imports first: instrumentation has to be in place before http, Express and pg are loaded.
 */
export function startTracingIfConfigured(): void {
  try {
    loadDotEnv();
  } catch {
    // A bad ENV_FILE is reported by main.ts, with the rest of the configuration.
  }
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  sdk = require('./otel-sdk') as typeof OtelSdk;
  stop = sdk.startOpenTelemetry(PACKAGE_VERSION);
}

export function tracingEnabled(): boolean {
  return sdk !== undefined;
}

/** The active span's trace and span ids for a log line (nothing when tracing is off or no span is active). */
export function traceIdsForLog(): object {
  return sdk?.activeTraceIds() ?? {};
}

/** Sends the spans still buffered; called on shutdown. */
export async function stopTracing(): Promise<void> {
  await stop?.();
}
