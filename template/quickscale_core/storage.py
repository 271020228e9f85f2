"""Static files in production: whitenoise's compressed files with fingerprinted names.

Files a bundler already fingerprinted keep their names. Vite (the React frontend) writes
frontend/assets/<name>-<hash>.js, and its chunks import each other by those names: hashed a
second time, the page's preload links would name one copy and the scripts' imports another,
and browsers would download every shared chunk twice.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Where the React frontend's build lands under STATIC_ROOT (config/settings/base.py).
FINGERPRINTED_BY_BUNDLER = ("frontend/assets/",)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        if name.startswith(FINGERPRINTED_BY_BUNDLER):
            return name
        return super().hashed_name(name, content, filename)
