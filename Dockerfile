# Build stage: compile TypeScript with the Swagger CLI plugin.
# Node 26 is the current LTS (Node 20 reached end of life on 2026-04-30; package.json still admits >= 20.19).
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
# The production image runs against a server database (DATABASE_URL): no dev packages, and not the
# embedded PostgreSQL binaries (an optional dependency, ~60 MB).
RUN npm run build && npm prune --omit=dev --omit=optional

# Runtime stage: production dependencies and dist/ only, as a non-root user.
FROM node:26-slim
ENV NODE_ENV=production PORT=3000
# A 192 MB old-space cap keeps RSS near 160 MB under load (see BENCHMARKS.md); the heap in use is ~45 MB.
ENV NODE_OPTIONS=--max-old-space-size=192
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
