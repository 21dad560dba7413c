"""The demo layer: synthetic data, simulated providers and register, the demo commands.

On top of every other layer: it may import any app, and nothing of the production package imports
it. ``make demo`` runs its commands (``demo_data``, ``demo_newly_banked``, ``demo_cycle``,
``demo_reports``, ``demo_logins``), which refuse to run outside the demo (CHITRA_DEMO=1),
development (CHITRA_DEBUG=1) or the tests; ``register_sim`` and ``cycle_simulate_results`` play the
register and the providers.

* :mod:`chitra.demo.generator` - synthetic beneficiaries and register extracts (pure Python);
* :mod:`chitra.demo.provider_sim` - the simulated providers' answers (pure Python);
* :mod:`chitra.demo.register_simulator` - an HTTP register simulator with fault injection;
* :mod:`chitra.demo.iam`, :mod:`~chitra.demo.payment_methods`, :mod:`~chitra.demo.outreach`,
  :mod:`~chitra.demo.grievances` - the demo's organisations and users, methods, campaigns and
  tickets, written through the apps' services.
"""
