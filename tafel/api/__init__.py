"""The JSON API (`/api/v1/`), its OpenAPI document and documentation (`/api/`),
API tokens' use and rate limits."""
