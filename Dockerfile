# Duo Enrol bot: one container serves Teams (/api/messages) and Slack (/slack/events) on PORT.
# Two stages: the first compiles the TypeScript with tsc, the second runs the JavaScript with node
# and production dependencies only, as `npm start` does after its build.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bot ./bot
COPY cards ./cards
COPY adapters ./adapters
COPY scripts/copy-assets.ts ./scripts/copy-assets.ts
RUN npm run build

FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. Dev tools are left out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Only the compiled code the bot runs; tests, docs, manifests and any .env stay out of the image.
COPY --from=build /app/dist ./dist

# The JSON store and audit log live in /app/data (STORE_PATH defaults to ./data/enrolbot.json).
# The code stays owned by root, so the bot cannot rewrite itself; only data is writable.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]

# The unprivileged user that the official Node images provide.
USER node

EXPOSE 3978

# The slim image has no curl: ask node itself. GET /healthz answers while the process is alive.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT,path:'/healthz',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]

# node directly (not npm start), so SIGTERM from `docker stop` reaches the bot and it can shut
# down gracefully. Same entry point as `npm start`, which builds first.
CMD ["node", "dist/adapters/start.js"]
