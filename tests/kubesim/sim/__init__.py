"""kubesim: a simulated Kubernetes API server (see ../README.md)."""
