"""The parts of a notice: layout (title, opening, sections), header, findings, figures."""
