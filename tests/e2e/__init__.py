"""End-to-end tier: a real browser, the Docker image, load, shared rate limits."""
