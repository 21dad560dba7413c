from tests.disbursement.conftest import (  # noqa: F401 - fixtures shared with the cycle tests
    _english_messages,
    _files_dir,
    approver,
    runner,
    world,
)
