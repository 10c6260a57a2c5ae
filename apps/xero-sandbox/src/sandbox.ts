import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { SandboxExceptionFilter } from './common/sandbox-exception.filter';
import { loadConfig, SandboxConfig } from './config/sandbox-config';
import { WebhooksService } from './webhooks/webhooks.service';

export interface Sandbox {
  app: INestApplication;
  /** e.g. http://127.0.0.1:4010, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** Overrides of the environment-derived configuration; port 0 picks a free port. */
  config?: Partial<SandboxConfig>;
  env?: Record<string, string | undefined>;
}

/** Starts a sandbox listening on a real port. Tests use port 0 and read `url`. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const config: SandboxConfig = { ...loadConfig(options.env ?? process.env), ...options.config };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { rawBody: true, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new SandboxExceptionFilter());
  app.set('query parser', 'extended');
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${address.port}`;
  app.get(WebhooksService).setBaseUrl(config.publicUrl || url);
  return { app, url, port: address.port, close: () => app.close() };
}
