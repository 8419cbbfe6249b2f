# One image per Python service, built from the workspace lock file:
#   docker build -f docker/python-service.Dockerfile --build-arg PACKAGE=fedshop-users .
FROM python:3.11.11-slim-bookworm AS build
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
COPY pyproject.toml uv.lock ./
COPY libs libs
COPY subgraphs subgraphs
COPY email-worker email-worker
COPY payment-worker payment-worker
# Every workspace member's pyproject must be there for uv to read the lock (only PACKAGE is built).
COPY fakes fakes
ARG PACKAGE
# Only this service and what it needs; no dev tools; installed, not linked to the sources.
RUN uv sync --frozen --no-dev --no-editable --package "$PACKAGE"

FROM python:3.11.11-slim-bookworm
RUN useradd --system --create-home fedshop && mkdir /data && chown fedshop /data
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH HOST=0.0.0.0 PYTHONUNBUFFERED=1
ARG PACKAGE
ENV SERVICE_COMMAND=$PACKAGE
USER fedshop
CMD ["sh", "-c", "exec $SERVICE_COMMAND"]
