# The service image: one build, run as the API or as any consumer group by its command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json codegen.ts ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# A 64 MB young generation: at the default 16 MB, scavenges took ~30% of the API's CPU under read
# load (bench/results/hot-path/timeline-read-*.json).
# OPS_PORT serves /healthz, /readyz and /metrics: publish it to the scraper only, never to the internet.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 OPS_PORT=9464 NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The trained tagger and moderator, read at start (dist/ finds them at ../models).
COPY models ./models
USER node
EXPOSE 4000 9464
CMD ["node", "dist/main.js", "serve"]
