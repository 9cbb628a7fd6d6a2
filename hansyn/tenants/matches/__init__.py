"""Matching inside one municipality: the matching index, ranked pseudonymised candidates for a
supplier's vacancy, the pseudonyms, and the supplier's requests to meet a candidate."""
