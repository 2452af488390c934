# syntax=docker/dockerfile:1
# One image for the API (default command), the Temporal worker (`node dist/worker.js`) and the migration
# job (`node dist/scripts/migrate.js`). See docker-compose.yml for how the three are wired together.

# --- build: compile TypeScript and prebundle the workflow code -------------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app

# Dependencies first, so source edits do not invalidate this layer. --ignore-scripts skips the project's
# postinstall (it fetches the Temporal CLI and test server from PyPI, which only `npm start` and the tests use)
# and the `node` devDependency's preinstall (the image's own Node 24 runs everything here).
COPY package.json package-lock.json ./
COPY scripts/install-temporal.mjs scripts/
# npm install rather than npm ci: it installs the locked versions, and npm ci refuses lockfiles that lack other
# platforms' optional binaries, which some registry mirrors do not serve (see .ci/run).
RUN npm install --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json server.ts worker.ts schema.graphql ./
COPY src src
COPY scripts scripts
COPY web web
# Writes dist/ and dist/workflow-bundle.js, so workers never run webpack at start-up, and the customer portal into
# dist/web, which the API serves.
RUN npx tsc -p tsconfig.build.json && node dist/scripts/bundle-workflows.js && npx vite build --config web/vite.config.ts

# --- runtime: production dependencies and the compiled output only ----------------------------------------------
FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0

COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY --from=build /app/dist dist

# Everything above is owned by root and read-only to the process.
USER node
EXPOSE 4000

# Only meaningful for the API; compose disables it for the worker and the migration job.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((res) => process.exit(res.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--enable-source-maps", "dist/server.js"]
