FROM python:3.11-slim
WORKDIR /opt/rigd
COPY pyproject.toml README.md ./
COPY domain domain
COPY projections projections
COPY adapters adapters
COPY services services
COPY proto proto
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/rigd --create-home rigd
USER rigd
WORKDIR /var/lib/rigd
ENV RIGD_LISTEN=0.0.0.0:4747 RIGD_CONNECT_LISTEN=0.0.0.0:4748 RIGD_DATA_DIR=/var/lib/rigd
EXPOSE 4747 4748
CMD ["rigd", "serve"]
