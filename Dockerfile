# Aquaflow server image (used by docker-compose.yml). The web app is built here, so start-up finds it fresh.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY . .
RUN npm run build:web && chown -R node:node /app

USER node
EXPOSE 8080
# node directly (not npm), so SIGTERM from `docker stop` reaches Aquaflow's ordered shutdown.
CMD ["node", "--import", "tsx", "server/main.ts"]
