"""Administrators start letter runs (of any run source) and follow their progress."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit, clock, paging, refusals
from portal.extensions import db
from portal.jobs import Job
from portal.letters import runner, runs
from portal.letters.forms import RunForm
from portal.refusals import Refusal
from portal.security import Role, role_required

bp = Blueprint("letter_runs", __name__, url_prefix="/admin/letter-runs")


def _choices() -> list[tuple[str, str]]:
    return [(f"{name}:{scope_id}", f"{source.label} · {label}")
            for name, source in runs.sources().items() for scope_id, label in source.scopes()]


def _form(formdata=None) -> RunForm:
    form = RunForm(formdata=formdata) if formdata is not None else RunForm()
    form.scope.choices = _choices()
    return form


def _labels() -> dict[tuple[str, int], str]:
    return {(name, scope_id): label for name, source in runs.sources().items()
            for scope_id, label in source.scopes()}


def _page(form, status=200):
    jobs = paging.numbered(db.select(Job).where(Job.kind == runs.KIND).order_by(Job.id.desc()),
                           request.args, current_app.config["STAFF_LIST_PAGE_SIZE"],
                           scope=request.args.get("scope", ""))
    labels = _labels()

    def scope_of(job):
        params = runs.Params.of(job)
        return labels.get((params.source, params.scope_id), "")

    return render_template("letters/runs.html", form=form, jobs=jobs, scope_of=scope_of), status


@bp.get("")
@role_required(Role.ADMIN)
def list_runs():
    form = _form(formdata={})
    # A link from a group's page chooses its letters (e.g. a cohort's reminders).
    chosen = request.args.get("scope", "")
    if chosen in {value for value, _label in form.scope.choices}:
        form.scope.data = chosen
    return _page(form)


@bp.post("")
@role_required(Role.ADMIN)
def start_run():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, status=400)
    source_name, scope_id = form.scope.data.split(":", 1)
    scope_id = int(scope_id)
    if runs.open_run(source_name, scope_id) is not None:
        form.scope.errors.append(_("This group has an unfinished run: resume it below."))
        return _page(form, status=400)
    out = Path(current_app.config["LETTER_RUN_DIR"]) / (
        f"{source_name}-{scope_id}-{clock.today():%Y%m%d}-{secrets.token_hex(3)}")
    try:
        job = runs.start(source_name, scope_id, out, current_user,
                         batch_size=form.batch_size.data)
    except Refusal as refusal:
        refusals.show(refusal, form, fields={None: "scope"})
        return _page(form, status=400)
    except runs.NothingToPrint:
        db.session.rollback()
        form.scope.errors.append(str(runs.sources()[source_name].nothing_to_print))
        return _page(form, status=400)
    db.session.commit()
    mode = runner.launch(job.id)
    flash(_("The letter run has started."), "success")
    _say_fallback(mode)
    return redirect(url_for("letter_runs.show_run", job_id=job.id))


def _say_fallback(mode: str) -> None:
    if mode == "fallback":
        flash(_("The job queue cannot be reached: this run goes on in the portal's own "
                "process, more slowly. Nothing is lost; you can follow it here."), "warning")


def _run_or_404(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or job.kind != runs.KIND:
        abort(404)
    return job


@bp.get("/<int:job_id>")
@role_required(Role.ADMIN)
def show_run(job_id: int):
    job = _run_or_404(job_id)
    params = runs.Params.of(job)
    printed = [n for n in range(runs.count_batches(job)) if params.files(n)[0].is_file()]
    return render_template("letters/run.html", job=job,
                           scope=_labels().get((params.source, params.scope_id), ""),
                           failures=runs.failures(job),
                           params=params, batches=runs.count_batches(job), printed=printed,
                           manifest=(Path(params.out) / "manifest.csv").is_file(),
                           counts=_counts(job), active=_active(job),
                           resumable=job.state != "done" and not runner.running_here(job.id))


def _active(job: Job) -> bool:
    return job.state in ("queued", "running", "finishing")


def _counts(job: Job) -> str:
    return _("%(done)s of %(total)s printed and archived, %(failed)s failed",
             done=format_decimal(job.done), total=format_decimal(job.total),
             failed=format_decimal(job.failed))


@bp.get("/<int:job_id>/progress.json")
@role_required(Role.ADMIN)
def run_progress(job_id: int):
    """The run's progress for the page's small script (no full reload while it runs)."""
    job = _run_or_404(job_id)
    return jsonify(percent=job.percent, active=_active(job), state=job.state,
                   counts=_counts(job))


def _send_audited(job, path: Path, mimetype: str, name: str, action: str, **details):
    """One of the run's printer files as a download, audited as `action`; 404 when it is
    gone (purged)."""
    if not path.is_file():
        abort(404)
    audit.record(current_user, action, job, **details)
    db.session.commit()
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/<int:job_id>/batch-<int:number>.pdf")
@role_required(Role.ADMIN)
def download_batch(job_id: int, number: int):
    """One print batch (a PDF for the printer); every download is audited."""
    job = _run_or_404(job_id)
    params = runs.Params.of(job)
    if not 1 <= number <= runs.count_batches(job):
        abort(404)
    return _send_audited(job, params.files(number - 1)[0], "application/pdf",
                         f"letter-run-{job.id}-batch-{number:04d}.pdf",
                         "letters.batch_downloaded", batch=number)


@bp.get("/<int:job_id>/manifest.csv")
@role_required(Role.ADMIN)
def download_manifest(job_id: int):
    """The run's manifest (which letter is where in which batch); audited."""
    job = _run_or_404(job_id)
    return _send_audited(job, Path(runs.Params.of(job).out) / "manifest.csv", "text/csv",
                         f"letter-run-{job.id}-manifest.csv", "letters.manifest_downloaded")


@bp.post("/<int:job_id>/resume")
@role_required(Role.ADMIN)
def resume_run(job_id: int):
    job = _run_or_404(job_id)
    if job.state == "done" or runner.running_here(job.id):
        flash(_("This run is not interrupted."), "info")
    else:
        mode = runner.launch(job.id)
        flash(_("The letter run has been resumed."), "success")
        _say_fallback(mode)
    return redirect(url_for("letter_runs.show_run", job_id=job.id))
