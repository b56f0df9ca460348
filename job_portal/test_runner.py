"""`python manage.py test` runs the pytest suite, for people who follow the original README."""


class PytestRunner:
    def __init__(self, verbosity=1, failfast=False, keepdb=False, **kwargs):
        self.verbosity, self.failfast, self.keepdb = verbosity, failfast, keepdb

    @classmethod
    def add_arguments(cls, parser):
        pass

    def run_tests(self, test_labels, **kwargs):
        import pytest

        argv = [
            label if label.endswith(".py") or "/" in label else label.replace(".", "/")
            for label in test_labels
        ]
        if self.failfast:
            argv.append("--exitfirst")
        if self.keepdb:
            argv.append("--reuse-db")
        if self.verbosity > 1:
            argv.append("-v")
        return pytest.main(argv)
