"""Published statistics in the control plane: immutable, versioned snapshots of anonymised
quarterly figures, the comparison across municipalities, and the open data built from them.
Nothing here opens a tenant's database."""
