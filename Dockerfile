# syntax=docker/dockerfile:1
#
# The Quietline server image. See docs/operations.md, "Docker".
#
#   docker build -t quietline .                  the server (target "runtime", the last stage)
#   docker build --target tools -t quietline-tools .
#                                                the commands (org-key, operators) without Node
#                                                on the host
#
# Base image: Node.js 26 on Debian 13 (trixie), slim. On 2026-11-22 Node 26 is the Active
# LTS line (since 2026-10-28; supported until 2029-04-30), and Node 24 is in Maintenance
# LTS (since 2026-10-20). trixie, because Debian 12 (bookworm) left regular security
# support in June 2026 and the Node 26 images are built on trixie. Only the major version
# is pinned, so a rebuild picks up Node and Debian security fixes; pin a digest
# (node:26-trixie-slim@sha256:…) where builds must be reproducible. To stay on Node 24:
# --build-arg NODE_IMAGE=node:24-trixie-slim.
ARG NODE_IMAGE=node:26-trixie-slim

# ---- deps: every dependency, as locked ----------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# tsx would write its compile cache under /tmp; the runtime's root filesystem is read-only,
# and a cache that dies with the container saves little. tsx then compiles the server's
# files at each start, with esbuild, which is quick.
ENV TSX_DISABLE_CACHE=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- tools: the sources, for `npm run org-key` and `npm run operators` --------------------
FROM deps AS tools
COPY tsconfig.json ./
COPY protocol/ protocol/
COPY e2e/ e2e/
COPY identity/ identity/
COPY server/ server/
COPY widget/ widget/
COPY operator-console/ operator-console/
COPY scripts/ scripts/
# config/ as .dockerignore leaves it: lines.json and org-public-key.txt. The operators file
# and the organisation's secret key are never in the build context.
COPY config/ config/

# ---- build: the browser files, with the organisation's public key baked in ----------------
FROM tools AS build
# A configured build (not the demo) must find config/org-public-key.txt; without it this
# step stops with "no organisation key at config/org-public-key.txt". Create the key first
# (npm run org-key -- create) and build again after every change of key.
# The build decides between demo and configured the way the server does, and that needs an
# operators file to exist. It reads no account from it: /dev/null stands in for the real
# file, which is mounted only when the container runs.
RUN QUIETLINE_DEMO=0 QUIETLINE_OPERATORS=/dev/null npm run build

# ---- runtime-deps: the dependencies the server needs, without the development ones --------
FROM ${NODE_IMAGE} AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
# The server runs its TypeScript through tsx, so tsx must be a runtime dependency
# ("dependencies" in package.json, not "devDependencies"). Stop here, with a clear message,
# rather than build an image that cannot start.
RUN npm ci --omit=dev --no-audit --no-fund \
 && if [ ! -f node_modules/tsx/package.json ]; then \
      echo 'tsx is not among the production dependencies: move it from devDependencies to dependencies in package.json' >&2; \
      exit 1; \
    fi

# ---- runtime: what the server runs, and nothing else ---------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    TSX_DISABLE_CACHE=1 \
    HOST=0.0.0.0 \
    PORT=8080 \
    QUIETLINE_DEMO=0 \
    QUIETLINE_LINES=/etc/quietline/lines.json \
    QUIETLINE_OPERATORS=/etc/quietline/accounts/operators.json \
    QUIETLINE_ORG_PUBLIC_KEY=/etc/quietline/org-public-key.txt
WORKDIR /app
# Everything here is owned by root: the server's user can read it and change none of it.
# The server writes no file, so the root filesystem can be mounted read-only.
COPY --from=runtime-deps /app/node_modules/ node_modules/
COPY package.json tsconfig.json ./
COPY protocol/ protocol/
COPY identity/ identity/
COPY server/ server/
COPY --from=build /app/dist/public/ dist/public/
# The default lines; mount your own over it. The public key is the one baked into the
# widget above, so server and widget always agree. Not secret.
COPY config/lines.json /etc/quietline/lines.json
COPY --from=build /app/config/org-public-key.txt /etc/quietline/org-public-key.txt
# The operators file is mounted at run time, read-only, into /etc/quietline/accounts/ (a
# folder, so that a rewrite of the file on the host reaches the container). It is mode
# 600: run the container as the file's owner (docker run --user, compose's QUIETLINE_UID).
# The empty folder is the mount point; without a mount the start stops with "no operators
# file at /etc/quietline/accounts/operators.json".
RUN mkdir -p /etc/quietline/accounts

# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 8080

# Liveness: the process serves HTTP. Node's own fetch, as slim images have no curl.
# Readiness (/readyz: not draining, Redis reachable) is the load balancer's check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Docker's default, written out: SIGTERM starts the drain (DRAIN_SECONDS), and the container
# runtime's stop timeout must be longer than that.
STOPSIGNAL SIGTERM

# node itself is PID 1: no npm (which would rebuild at start through prestart and stand
# between the signal and the server) and no tsx CLI (a second process); tsx is loaded as a
# module hook into the one node process. No init (tini, docker run --init) is needed: PID 1
# gets no default signal handling from the kernel, but server/main.ts handles SIGTERM and
# SIGINT itself, and the server starts no child processes, so there are no orphans to reap.
# Before main.ts has installed its handlers (the first second or so) a SIGTERM is ignored,
# and the runtime kills the container when its stop timeout runs out.
CMD ["node", "--import", "tsx", "server/main.ts"]
