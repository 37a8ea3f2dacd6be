# syntax=docker/dockerfile:1
# Ayni: build with TypeScript, run the compiled JS on a slim Node 22 LTS image as a non-root user.
#   docker build -t ayni .
#   docker run --rm -p 3000:3000 --env-file .env -e REDIS_URL=redis://host.docker.internal:6379 ayni
# (or use compose.yaml, which also starts Redis)

ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: all dependencies, compile src/ to dist/src/ (tsconfig.build.json, rootDir '.') ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies, compiled code and the content it reads at startup ---
FROM ${NODE_IMAGE} AS runtime
# HOST=0.0.0.0: inside a container the server must listen beyond loopback to be reachable.
# TZ: Node resolves time zones with its bundled ICU data, so no tzdata package is needed.
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    TZ=America/La_Paz
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
# Same layout as the repository (dist/, flows/, locales/ side by side), owned by root and
# read-only for the app user: the process cannot rewrite its own code or content.
COPY --from=build /app/dist ./dist
COPY flows ./flows
COPY locales ./locales
# The fonts pictures and certificates are drawn with (no system fonts in slim images).
COPY assets ./assets
USER node
EXPOSE 3000
# No curl in slim images: ask Node itself. Exec form, so PORT is read by node from the environment.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Run node directly (not npm start, whose prestart would try to build): signals reach the app,
# which shuts down gracefully on SIGTERM. compose.yaml adds `init: true` to reap zombies.
CMD ["node", "dist/src/server.js"]
