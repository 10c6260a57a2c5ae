import { CanActivate, Controller, Get, INestApplication, Injectable, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ApiBearerAuth, ApiOkResponse } from '@nestjs/swagger';
import { ApiErrorResponses, JWT_AUTH, setUpApiDocs } from './api-docs';

/** Refuses every request a controller serves: the API description must not need auth. */
@Injectable()
class RefuseEverything implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller('v1/orders')
class OrdersController {
  @Get()
  @ApiBearerAuth(JWT_AUTH)
  @ApiOkResponse({ description: 'The orders' })
  @ApiErrorResponses(400, 401, 404)
  list(): string[] {
    return [];
  }
}

@Module({ controllers: [OrdersController], providers: [{ provide: APP_GUARD, useClass: RefuseEverything }] })
class OrdersModule {}

describe('the API description', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create(OrdersModule, { logger: false });
    setUpApiDocs(app, { title: 'Ledgerline orders', version: '2.1.0', description: 'Orders' });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }, 30_000);

  afterAll(async () => {
    // fetch keeps its connections alive; close them rather than wait them out.
    (app.getHttpServer() as import('node:http').Server).closeAllConnections();
    await app.close();
  }, 30_000);

  it('is served at /docs-json without auth, as OpenAPI 3 with the title and version given, and leaves its own routes out', async () => {
    expect((await fetch(`${url}/v1/orders`)).status).toBe(403);
    const response = await fetch(`${url}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; info: { title: string; version: string }; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Ledgerline orders', version: '2.1.0' });
    expect(Object.keys(document.paths)).toEqual(['/v1/orders']);
  });

  it('describes each error an operation lists with the one error body, and the operation’s bearer auth', async () => {
    const document = (await (await fetch(`${url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { security: unknown; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
      components: { schemas: Record<string, { required?: string[]; properties: Record<string, { type: string }> }>; securitySchemes: Record<string, unknown> };
    };
    const operation = document.paths['/v1/orders']['get'];
    expect(operation.security).toEqual([{ [JWT_AUTH]: [] }]);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '404']);
    for (const status of ['400', '401', '404']) {
      expect(operation.responses[status].content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    }
    const errorBody = document.components.schemas['ErrorBody'];
    expect(errorBody.required?.sort()).toEqual(['code', 'message', 'problems']);
    expect(errorBody.properties['problems'].type).toBe('array');
    expect(Object.keys(document.components.securitySchemes)).toContain(JWT_AUTH);
  });

  it('serves Swagger UI at /docs from the bundled assets', async () => {
    const page = await fetch(`${url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/https?:\/\/(unpkg|cdn|cdnjs)/);
    const script = html.match(/src="([^"]*swagger-ui-bundle\.js)"/)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(new URL(script!, `${url}/docs`))).status).toBe(200);
  });
});
