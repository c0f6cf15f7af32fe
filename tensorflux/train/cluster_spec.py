"""``tf.train.ClusterSpec``: the jobs of a distributed cluster and their task addresses."""

from __future__ import annotations

from tensorflux.framework.cluster_proto import ClusterDef

__all__ = ["ClusterSpec"]

_NOT_A_CLUSTER = (
    "`cluster` must be a dictionary mapping one or more job names to lists of network "
    "addresses, or a `ClusterDef` protocol buffer"
)


def _tasks_of(job_name, tasks) -> dict:
    if isinstance(tasks, (list, tuple)):
        return dict(enumerate(tasks))
    if isinstance(tasks, dict):
        return {int(index): address for index, address in tasks.items()}
    raise TypeError(
        f"The tasks for job {job_name!r} must be a list or a dictionary from integers to strings."
    )


def _text(value, what: str) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, str):
        return value
    raise TypeError(f"{what} {value!r} must be bytes or unicode")


class ClusterSpec:
    """A cluster: job names mapped to their tasks' network addresses
    (``tf.train.ClusterSpec``).

    Args:
        cluster: a dict from job name to a list of "host:port" addresses (task ``i`` is
            item ``i``) or to a dict from task index to address; a ``ClusterDef``; or
            another ClusterSpec.

    Raises:
        TypeError: ``cluster`` is none of those, or a job name or address is not a
            string.

    >>> spec = ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": {1: "ps1:2222"}})
    >>> spec.num_tasks("worker"), spec.task_indices("ps"), spec.job_tasks("ps")
    (2, [1], [None, 'ps1:2222'])
    """

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            cluster = cluster.as_cluster_def()  # as TF copies: jobs in sorted order
        if isinstance(cluster, dict):
            self._jobs = {job: _tasks_of(job, tasks) for job, tasks in cluster.items()}
        elif isinstance(cluster, ClusterDef):
            self._jobs = {job.name: dict(job.tasks.items()) for job in cluster.job}
        else:
            raise TypeError(_NOT_A_CLUSTER)
        self._cluster_def = self._make_cluster_def()

    def _make_cluster_def(self) -> ClusterDef:
        cluster_def = ClusterDef()
        for job_name in sorted(self._jobs):
            job = cluster_def.job.add(name=_text(job_name, "Job name"))
            for index in sorted(self._jobs[job_name]):
                job.tasks[index] = _text(self._jobs[job_name][index], "Task address")
        return cluster_def

    def __bool__(self):
        return bool(self._jobs)

    def __eq__(self, other):
        return isinstance(other, ClusterSpec) and self._jobs == other._jobs

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        jobs = self.as_dict()
        items = ", ".join(f"{job!r}: {jobs[job]!r}" for job in sorted(jobs))
        return f"ClusterSpec({{{items}}})"

    def as_dict(self) -> dict:
        """Each job's tasks: a list when the indices are 0..n-1, else a dict."""
        out = {}
        for job, tasks in self._jobs.items():
            indices = sorted(tasks)
            if indices and indices[-1] == len(indices) - 1:
                out[job] = [tasks[index] for index in indices]
            else:
                out[job] = {index: tasks[index] for index in indices}
        return out

    def as_cluster_def(self) -> ClusterDef:
        """The cluster as a ``tf.train.ClusterDef`` (jobs and tasks in sorted order)."""
        return self._cluster_def

    @property
    def jobs(self) -> list:
        """The job names, in the order given."""
        return list(self._jobs)

    def _job(self, job_name) -> dict:
        try:
            return self._jobs[job_name]
        except (KeyError, TypeError):
            raise ValueError(f"No such job in cluster: {job_name!r}") from None

    def num_tasks(self, job_name) -> int:
        """The number of tasks of ``job_name``.

        Raises:
            ValueError: no such job.
        """
        return len(self._job(job_name))

    def task_indices(self, job_name) -> list:
        """The sorted task indices of ``job_name``."""
        return sorted(self._job(job_name))

    def task_address(self, job_name, task_index) -> str:
        """The address of task ``task_index`` of ``job_name``.

        Raises:
            ValueError: no such job or task.
        """
        tasks = self._job(job_name)
        try:
            return tasks[task_index]
        except (KeyError, TypeError):
            raise ValueError(f"No task with index {task_index!r} in job {job_name!r}") from None

    def job_tasks(self, job_name) -> list:
        """The addresses of ``job_name``'s tasks by index, None where an index is unused."""
        tasks = self._job(job_name)
        if not tasks:
            return []
        out = [None] * (max(tasks) + 1)
        for index, address in tasks.items():
            out[index] = address
        return out
