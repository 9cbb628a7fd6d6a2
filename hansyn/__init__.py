"""Hänsyn: social hänsyn i upphandling — employment requirements in Swedish public procurement."""
