import { startTracingIfConfigured } from './tracing';

startTracingIfConfigured();
