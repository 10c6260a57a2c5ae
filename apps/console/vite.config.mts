import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The admin page: built into dist/apps/console/web, served by the console itself; everything it needs is in the bundle. */
export default defineConfig({
  root: path.join(here, 'web'),
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: path.resolve(here, '../../dist/apps/console/web'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
  },
});
