"""Placements: the employments hires create, and the follow-up of contracts' clauses."""
