"""Reading spreadsheets: a file to a grid of cells (within limits), its header, cell values,
the column specs and the one row validator (pure: no Django)."""
