import { LoggerModule } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';

/** Fields whose values are secrets wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-xero-signature"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.client_secret',
  '*.clientSecret',
  '*.password',
  '*.secret',
  '*.token',
];

const SECRET_QUERY_PARAMS = /([?&](?:code|state|token|code_verifier|refresh_token|access_token|rejected)=)[^&#]*/gi;

/** Removes OAuth codes and tokens from a URL before it is logged. */
export const redactUrl = (url: string | undefined): string | undefined => url?.replace(SECRET_QUERY_PARAMS, '$1[Redacted]');

/** JSON logs on stdout, one line per event, with secrets removed. */
export function jsonLoggerModule(service: string, level: string) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') || (req.url ?? '').startsWith('/metrics') },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
