"""Veille's demo and test material: invented sites and exports, their generators, a local
web server, a planted bad buzz, and the `veille demo` command.

It is installed with the project but is not part of the product: nothing under config/,
storage/, nlp/, crawlers/, reports/ or pipeline/ imports it. `veille demo` reaches the CLI
through the `veille.commands` entry-point group (pyproject.toml), the same way a third-party
package adds a command; tests and benchmarks import the rest directly.
"""
