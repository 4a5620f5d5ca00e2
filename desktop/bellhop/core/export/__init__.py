"""Rules written out for other engines (n8n), with what a person must finish by hand."""
