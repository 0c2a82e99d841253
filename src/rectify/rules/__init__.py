"""Every domain rule once, in pure Python (no Django): apps import it; it imports no app."""
