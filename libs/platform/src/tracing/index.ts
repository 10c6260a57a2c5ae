// The first import of every service's main.ts: instruments HTTP, pg, kafkajs and pino before they load.
import { installTracing } from './tracing';

installTracing();
