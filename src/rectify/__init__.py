"""Rectify (整改台账): run the rectification that follows a Party inspection."""

__version__ = "0.1.0"
