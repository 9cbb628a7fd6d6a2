"""How vocabulary terms are shown: properly cased, and language names in the reader's language."""

from hansyn.tenants.labels.display import display_key, display_text, language_name, text_labeler

__all__ = ["display_key", "display_text", "language_name", "text_labeler"]
