# One image for every Ledgerline service; SERVICE picks which one runs (connections, contacts,
# documents, payments, console, xero-sandbox); the console's admin page is built into dist/apps/console/web.
# Migrations run with: node dist/apps/$SERVICE/src/migrate.js
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json .swcrc ./
COPY libs libs
COPY apps apps
RUN npm run build && npm prune --omit=dev

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
USER node
ENV SERVICE=connections
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/src/main.js"]
