"""The population register in the engine (pure Python + DuckDB, no Django).

* :mod:`~chitra.engine.register.store` - the local DuckDB copy of a register extract;
* :mod:`~chitra.engine.register.verify` - the verification of a list of people against it.
"""
