import { applyDecorators, INestApplication } from '@nestjs/common';
import { ApiProperty, ApiResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HttpErrorBody } from './http-error.filter';

/** Where every service serves its OpenAPI document and the interactive page over it. */
export const API_DOCS_PATH = 'docs';
export const API_DOCS_JSON_PATH = 'docs-json';

/** The one error body (`HttpErrorFilter`, `CodedExceptionFilter`), as the API descriptions show it. */
export class ErrorBody implements HttpErrorBody {
  @ApiProperty({ description: 'A stable code to branch on, e.g. INVALID_REQUEST, NOT_FOUND, CONNECTION_NOT_FOUND', example: 'INVALID_REQUEST' })
  code: string;

  @ApiProperty({ description: 'What went wrong, in words; never a token or a secret', example: 'The request is invalid' })
  message: string;

  @ApiProperty({
    description: 'Every problem with the request (empty when there is nothing more to say)',
    type: [String],
    example: ['pageSize must be a whole number from 1 to 200'],
  })
  problems: string[];
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid; `problems` lists every violation',
  401: 'No valid bearer token',
  403: 'The caller’s role or company may not do this',
  404: 'No such record for the company',
  409: 'The record is not in a state that allows this',
  413: 'The body is larger than the service accepts',
  429: 'Too many requests',
  500: 'An internal error (its detail is logged, not answered)',
  502: 'Xero refused the call',
  503: 'Xero or a dependency is unavailable; try again later',
};

/** The security scheme of the REST APIs: the gateway's JWT, carrying company and role (for `@ApiBearerAuth()`). */
export const JWT_AUTH = 'bearer';
/** The security scheme of the internal endpoints the services call each other with (for `@ApiBearerAuth(INTERNAL_TOKEN_AUTH)`). */
export const INTERNAL_TOKEN_AUTH = 'internal-token';

/** The error answers an operation can give, each with the one error body. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'An error', type: ErrorBody })));
}

export interface ApiDocsInfo {
  title: string;
  version: string;
  description?: string;
}

/**
 * Serves the application's OpenAPI 3 document at `/docs-json` and Swagger UI at `/docs` (its assets come from the
 * installed swagger-ui-dist, so nothing is fetched from the internet). The document is built from the controllers'
 * and DTOs' decorators; these routes are the HTTP adapter's own, so no guard applies and they are not in it.
 */
export function setUpApiDocs(app: INestApplication, info: ApiDocsInfo): void {
  const builder = new DocumentBuilder()
    .setTitle(info.title)
    .setVersion(info.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The gateway’s JWT (company and role)' }, JWT_AUTH)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'INTERNAL_API_TOKEN, between Ledgerline services' }, INTERNAL_TOKEN_AUTH);
  if (info.description) builder.setDescription(info.description);
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup(API_DOCS_PATH, app, document, { jsonDocumentUrl: API_DOCS_JSON_PATH, raw: ['json'], customSiteTitle: info.title });
}
