"""Contracts (avtal) with suppliers and their social clause (sysselsättningskrav)."""
