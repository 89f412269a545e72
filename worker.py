"""Worker entry point, beside wsgi.py: `python worker.py [--burst]` builds the app once for
this process and works on the portal's RQ queue (REDIS_URL): the batches of letter runs and
the letters, e-mails and text messages made after a commit. Run as many as needed, on any
machine that reaches the database and Redis. (`flask jobs worker` runs the same worker.)"""
import sys

from portal import create_app, jobs

app = create_app()

if __name__ == "__main__":
    with app.app_context():
        try:
            jobs.work(app, burst="--burst" in sys.argv[1:])
        except jobs.NoQueue as exc:
            sys.exit(f"worker.py: {exc}")
