"""The cross-app pages: home, jobs, the audit trail, the JSON 404 (the top layer: any app below)."""
