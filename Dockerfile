# One image for every app: the monorepo with its dependencies and the built web app.
# docker-compose picks the program to run per service.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NX_DAEMON=false
COPY package.json package-lock.json nx.json tsconfig.base.json tsconfig.json ./
COPY apps/gateway/package.json apps/gateway/
COPY apps/crm-service/package.json apps/crm-service/
COPY apps/projects-service/package.json apps/projects-service/
COPY apps/billing-service/package.json apps/billing-service/
COPY apps/payments-service/package.json apps/payments-service/
COPY apps/web/package.json apps/web/
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY tools/dev/package.json tools/dev/
COPY tools/bench/package.json tools/bench/
COPY tools/e2e/package.json tools/e2e/
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build:web
EXPOSE 3000
CMD ["npx", "tsx", "apps/gateway/src/main.ts"]
