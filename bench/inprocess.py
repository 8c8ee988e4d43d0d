"""A request's cost inside one process, without a server or the network: Django's WSGI handler called
directly, as gunicorn's worker calls it, with the settings of DJANGO_SETTINGS_MODULE and the environment
they read. A quick way to see what a change to the middleware or the page cache does to one request
before measuring it under gunicorn with bench/run.py.

    DJANGO_SETTINGS_MODULE=g7site.settings.prod python bench/inprocess.py /en/ 2000
    DJANGO_SETTINGS_MODULE=g7site.settings.prod python bench/inprocess.py /en/ 2000 --conditional
    DJANGO_SETTINGS_MODULE=bench.bare.settings python bench/inprocess.py / 3000
    DJANGO_SETTINGS_MODULE=g7site.settings.prod python bench/inprocess.py /en/ 500 --profile

The address is asked twice before it is timed (so a cacheable page is stored), then a few hundred times
to warm up. With --conditional every request sends the ETag of the first answer (a 304 once the page is
cached). Timings on a shared machine move from run to run: compare runs made one after the other.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path")
    parser.add_argument("requests", type=int, nargs="?", default=2000)
    parser.add_argument("--conditional", action="store_true", help="Send If-None-Match with the page's ETag.")
    parser.add_argument("--profile", action="store_true", help="Then profile as many requests again.")
    parser.add_argument("--host", default=os.environ.get("BENCH_HOST", "127.0.0.1"))
    args = parser.parse_args()

    import django
    from django.core.handlers.wsgi import WSGIHandler

    django.setup()
    application = WSGIHandler()
    extra = {}

    def call():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": args.path.split("?")[0],
            "QUERY_STRING": args.path.partition("?")[2],
            "SERVER_NAME": args.host,
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SCRIPT_NAME": "",
            "HTTP_HOST": args.host,
            "HTTP_ACCEPT_ENCODING": "gzip",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            **extra,
        }
        answer = []
        body = application(environ, lambda status, headers, exc_info=None: answer.append((status, headers)))
        content = b"".join(body)
        body.close()
        status, headers = answer[0]
        return status, dict(headers), content

    call()
    status, headers, content = call()
    if args.conditional:
        extra["HTTP_IF_NONE_MATCH"] = headers["ETag"]
        status, headers, content = call()
    print(f"{args.path}: {status}, {len(content)} bytes, X-Cache {headers.get('X-Cache', '-')}")
    for _ in range(200):
        call()
    started = time.perf_counter()
    for _ in range(args.requests):
        call()
    elapsed = time.perf_counter() - started
    print(f"{args.path}: {elapsed / args.requests * 1e6:.0f} µs a request ({args.requests} requests)")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            call()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
