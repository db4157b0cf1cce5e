# The crm server: built in one stage, run from a small Debian image as a non-root user.
# Not built or run in this repository's CI (its machines have no Docker engine); see README.

FROM rust:1-slim-bookworm AS build
WORKDIR /src
# git lets build.rs record the commit shown by `crm --version` and /healthz.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release --locked -p gateway \
    && cp target/release/crm /usr/local/bin/crm

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl tini \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --create-home crm
COPY --from=build /usr/local/bin/crm /usr/local/bin/crm
USER crm
WORKDIR /data
ENV CRM_BIND=0.0.0.0:8080 \
    CRM_DATA_DIR=/data \
    CRM_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/readyz"]
# tini forwards SIGTERM so the server drains its requests before it exits.
ENTRYPOINT ["tini", "--", "crm"]
CMD ["serve"]
