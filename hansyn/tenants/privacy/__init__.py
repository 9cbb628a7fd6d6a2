"""What Hänsyn refuses to store or to show: personnummer, GDPR art. 9 words, control characters,
and what a supplier may see of a candidate's skills and languages.

Every domain uses these detectors; none keeps its own (docs/security.md, "Personal data").
"""
