import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';

/** Paths that belong to the APIs, never to the page. */
const API_PATHS = /^\/(v1|api|health|metrics|docs|docs-json|internal)(\/|$)/;

/** Where Vite writes the admin page (apps/console/vite.config.mts). */
export const defaultWebDir = (): string => path.resolve(process.cwd(), 'dist/apps/console/web');

/**
 * The built admin page: its files as they are, and index.html for every other page path (the page routes itself).
 * Nothing is fetched from elsewhere: the bundle carries everything it needs.
 */
export function adminPage(webDir: string): RequestHandler[] {
  const index = path.join(webDir, 'index.html');
  const files = express.static(webDir, { index: false, immutable: true, maxAge: '1h', fallthrough: true });
  const page = (request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || API_PATHS.test(request.path)) return next();
    if (!fs.existsSync(index)) {
      response.status(503).type('text/plain').send('The admin page is not built: run `npx nx run console:build-web`.');
      return;
    }
    response.setHeader('Cache-Control', 'no-store');
    response.sendFile(index);
  };
  return [
    (request, response, next) => (API_PATHS.test(request.path) ? next() : files(request, response, next)),
    page,
  ];
}
