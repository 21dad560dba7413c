"""Each file kind's rows (beneficiary list, account confirmation, people to verify) as a
column spec on the one validator of `chitra.engine.sheets.spec` (pure: no Django)."""
