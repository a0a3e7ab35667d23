# dlt-doctor as a container image (docs/deploy.md): `docker build -t dlt-doctor .`
# Node.js 24 (active LTS) on Debian bookworm. The bot runs its TypeScript through tsx (a runtime
# dependency), so there is no build step; better-sqlite3 and DuckDB are native modules, installed
# with their prebuilt binaries or built here (python3, make, g++ in the build stage only).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json manifest.yml ./
COPY bin ./bin
COPY src ./src
COPY commands ./commands
COPY templates ./templates
# the SQLite default (one replica) keeps its file here; mount a volume, or set DATABASE_URL
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# /healthz answers 200 while the database is reachable (503 when not): docs/deploy.md
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop, a Kubernetes rollout) stops gracefully: the scheduler lease is released at once
CMD ["node", "bin/dlt-doctor.js", "start"]
