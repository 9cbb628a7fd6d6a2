"""Vacancies that suppliers post on their contracts, and their requests to meet candidates."""
