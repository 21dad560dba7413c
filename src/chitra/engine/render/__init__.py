"""The toolkit the documents are drawn with (pure Python, no Django), public for every document.

* :mod:`~chitra.engine.render.text` - one-line text, label templates, Vietnamese number formats
  (``3.500.000``, ``12,5``);
* :mod:`~chitra.engine.render.xlsx` - deterministic streaming workbooks (xlsxwriter);
* :mod:`~chitra.engine.render.pdf` - the embedded Noto Serif fonts, bold from a regular face, the
  "Trang x/y" canvas and line wrapping (ReportLab, imported on first use);
* :mod:`~chitra.engine.render.files` - the SHA-256 of a written file, the temporary name a file
  is written under before it is renamed into place.

Text cells of workbooks go through :mod:`chitra.engine.sheets.cells` (formula-looking text is
quoted).
"""
