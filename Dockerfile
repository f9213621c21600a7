# fake-marketo as a container for CI pipelines: `docker build -t fake-marketo .` then
# `docker run -p 3000:3000 -e ADMIN_TOKEN=… fake-marketo` (README, "Run it in CI").

# Build stage: compilers for better-sqlite3 (built from source where no prebuilt binary can be fetched), the dev
# dependencies for TypeScript and the bundler. None of it reaches the final image.
FROM node:20-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies first (cached while only the sources change); install scripts run explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3 esbuild
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# One start writes the CLI's code cache beside it (scripts/bundle.ts), so that a container's start does not compile the
# bundle again (the image's dist is not writable by the node user).
RUN npm run build \
  && (timeout 5 node dist/fake-marketo.mjs --memory --port 0 > /dev/null || true) \
  && npm prune --omit=dev --ignore-scripts

# Final stage: Node, the bundled CLI (its migrations inside) and the production dependencies it loads at run time.
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=:memory:
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# /data is where a volume keeps the database (DATABASE_PATH=/data/fake-marketo.sqlite); the node user owns it, so a
# mounted volume is writable.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# The slim image has no curl: Node asks /health itself.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 and handles SIGTERM itself (graceful shutdown in src/main.ts).
CMD ["node", "dist/fake-marketo.mjs"]
