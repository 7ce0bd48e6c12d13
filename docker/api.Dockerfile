# smilepay api: command handlers, projections, REST /v1, socket.io /live.
# Build from the repository root: docker build -f docker/api.Dockerfile -t smilepay/api .

# ---- build: the whole workspace, then only production dependencies ----
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
# onnxruntime-node's install script downloads CUDA files (unreachable, unneeded: its CPU binaries ship in the
# package); npm 10 in this image does not read package.json "allowScripts", so it is switched off here.
ENV ONNXRUNTIME_NODE_INSTALL=skip NX_DAEMON=false CI=true
# better-sqlite3 and argon2 fall back to compiling when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx build api --skip-nx-cache \
  && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: the webpack bundle and production node_modules, as the unprivileged node user ----
FROM node:20.20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data LOG_LEVEL=info
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/api ./dist/apps/api
# The embedded stores and the audit signing key live under DATA_DIR unless EVENTSTORE_URL / DATABASE_URL are set.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# The image has no curl: Node's own fetch probes the liveness route (it checks nothing outside the process).
# First probe after one interval; three failures in a row (45 s) make it unhealthy, which covers start-up (no
# --start-period: dockerfilelint 1.8.0 misreads that option, see docker/README.md).
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/main.js"]
