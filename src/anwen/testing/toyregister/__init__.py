"""A register declared by the test suite alone (installed by settings_test only), to prove that
a register is a declaration: the generic pages, template, import, export and expiry serve it
without a view of its own."""
