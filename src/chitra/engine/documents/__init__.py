"""The documents chitra writes and reads, one module per product (pure Python, no Django).

* :mod:`~chitra.engine.documents.provider_files` - a batch's payment file in the CSV/XLSX layout
  a provider asks for (:class:`~chitra.engine.documents.provider_files.FileProfile`);
* :mod:`~chitra.engine.documents.results` - the result file a provider sends back (CSV, XLSX,
  XLS, ODS; the ISO 20022 pain.002 form is :mod:`chitra.engine.iso20022`);
* :mod:`~chitra.engine.documents.cash_list` - the cash list of a pay point or a delivery round
  (PDF and XLSX);
* :mod:`~chitra.engine.documents.report` - an administrative report (PDF and XLSX);
* :mod:`~chitra.engine.documents.error_workbook` - the rejected rows of an import;
* :mod:`~chitra.engine.documents.lists` - the xlsx download of a list page.

They are drawn with the toolkit of :mod:`chitra.engine.render`.
"""
