# smilepay dashboard: the built Angular app served by nginx, which also forwards the api's paths to the api so the
# dashboard stays same-origin (REST, socket.io). Build from the repository root:
#   docker build -f docker/dashboard.Dockerfile -t smilepay/dashboard .

# ---- build: the Angular production build ----
FROM node:20.20-bookworm-slim AS build
WORKDIR /src
ENV ONNXRUNTIME_NODE_INSTALL=skip NX_DAEMON=false CI=true
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx build dashboard --skip-nx-cache

# ---- runtime: static files only, nginx as an unprivileged user (uid 101) on port 8080 ----
FROM nginxinc/nginx-unprivileged:1.27-alpine
# API_UPSTREAM is substituted into the template when the container starts (nginx image's envsubst step).
ENV API_UPSTREAM=http://api:3000
COPY docker/dashboard/nginx.conf.template /etc/nginx/templates/default.conf.template
COPY --from=build /src/dist/apps/dashboard/browser /usr/share/nginx/html
USER 101
EXPOSE 8080
# First probe after one interval; three failures in a row (45 s) make it unhealthy, which covers start-up (no
# --start-period: dockerfilelint 1.8.0 misreads that option, see docker/README.md).
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health/live"]
