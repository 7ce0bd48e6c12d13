# smilepay terminal gateway: signed terminal sessions, face models on worker threads, liveness fusion.
# Build from the repository root: docker build -f docker/terminal-gateway.Dockerfile -t smilepay/terminal-gateway .

# ---- build: the workspace, the face models (verified by SHA-256), then only production dependencies ----
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
ENV ONNXRUNTIME_NODE_INSTALL=skip NX_DAEMON=false CI=true
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# fetch-models.js takes every model listed in tools/models/manifest.json from its npm tarball and checks its SHA-256;
# any mismatch fails the build. --check then re-reads the files from disk before they are copied into the image.
ENV SMILEPAY_MODEL_DIR=/src/.cache/models SMILEPAY_IMAGE_DIR=/tmp/smilepay-images
RUN node tools/models/fetch-models.js \
  && node tools/models/fetch-models.js --check \
  && cp tools/models/manifest.json .cache/models/manifest.json
RUN npx nx build terminal-gateway --skip-nx-cache \
  && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: bundle + analysis worker bundle + models, as the unprivileged node user ----
FROM node:20.20-bookworm-slim
# The gateway checksums every model against the manifest again when it loads them, so an altered file stops start-up.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3100 LOG_LEVEL=info \
    MODEL_DIR=/app/models MODEL_MANIFEST=/app/models/manifest.json ANALYSIS_WORKERS=2
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/terminal-gateway ./dist/apps/terminal-gateway
COPY --from=build /src/.cache/models ./models
USER node
EXPOSE 3100
# First probe after one interval; three failures in a row (45 s) make it unhealthy, which covers start-up (no
# --start-period: dockerfilelint 1.8.0 misreads that option, see docker/README.md).
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3100) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/terminal-gateway/main.js"]
