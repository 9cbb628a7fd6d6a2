"""Job seekers (arbetssökande) registered by the municipality's case workers (handläggare)."""
