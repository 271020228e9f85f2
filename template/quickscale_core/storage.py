"""Static files in production: whitenoise's compressed files with fingerprinted names.

Files a bundler already fingerprinted keep their names. Vite (the React frontend) writes
frontend/assets/<name>-<hash>.js, and its chunks import each other by those names: hashed a
second time, the page's preload links would name one copy and the scripts' imports another,
and browsers would download every shared chunk twice.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Where the React frontend's build lands under STATIC_ROOT (config/settings/base.py).
FINGERPRINTED_BY_BUNDLER = ("frontend/assets/",)
# URLs kept per process by url(): the names the templates use, far fewer than this.
URL_MEMO_SIZE = 2000


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        if name.startswith(FINGERPRINTED_BY_BUNDLER):
            return name
        return super().hashed_name(name, content, filename)

    def url(self, name, force=False):
        """The file's fingerprinted URL, looked up in the manifest once per name and process.

        The manifest is read when the storage is created and changes only when collectstatic
        runs in this process (post_process below forgets the URLs), so neither does the URL of
        a name; every {% static %} of every page used to look
        it up again (a tenth of the anonymous landing page). Not kept with DEBUG on, where the
        URL is the plain name, nor for `force`; a name missing from the manifest still raises.
        """
        if force or settings.DEBUG:
            return super().url(name, force)
        memo = self.__dict__.setdefault("_url_memo", {})
        found = memo.get(name)
        if found is None:
            found = super().url(name)
            if len(memo) < URL_MEMO_SIZE:
                memo[name] = found
        return found

    def post_process(self, *args, **kwargs):
        # collectstatic in this process writes a new manifest: URLs looked up before are old.
        self.__dict__.pop("_url_memo", None)
        yield from super().post_process(*args, **kwargs)
        self.__dict__.pop("_url_memo", None)
