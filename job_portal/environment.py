"""Reading settings from the environment strictly: a value that cannot be meant stops startup in one line.

django-environ reads any unknown word as False, so `DEBUG=ture` or `SECURE_SSL_REDIRECT=yes please`
would silently run with the opposite of what was meant. `manage.py` and `wsgi.py` print a
ConfigurationError as one line (`configuration error: ...`) instead of a traceback.
"""

import sys

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"true", "1", "yes", "on", "y", "t"})
FALSE = frozenset({"false", "0", "no", "off", "n", "f", ""})


class ConfigurationError(ImproperlyConfigured):
    pass


def strict_bool(env, name: str, default: bool) -> bool:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise ConfigurationError(
        f"{name}={raw!r} is not a boolean: use true or false (also 1/0, yes/no, on/off)."
    )


def exit_on_configuration_error(run, status: int = 1):
    """Run `run()`; a ConfigurationError ends the process with one line on stderr and `status`.

    wsgi.py passes 3, gunicorn's "worker failed to boot": the master then stops instead of
    restarting workers that can never start.
    """
    try:
        return run()
    except ConfigurationError as error:
        sys.stderr.write(f"configuration error: {error}\n")
        sys.stderr.flush()
        sys.exit(status)
