"""Developer tooling: the `make run` supervisor and the process helpers the tests share."""
