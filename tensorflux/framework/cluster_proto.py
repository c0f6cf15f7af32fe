"""The cluster messages of ``tf.train`` (tensorflow/core/protobuf/cluster.proto): a
:class:`ClusterDef` lists jobs, a :class:`JobDef` maps task indices to addresses.

>>> JobDef(name="ps", tasks={0: "ps0:2222"}).SerializeToString()
b'\\n\\x02ps\\x12\\x0c\\x08\\x00\\x12\\x08ps0:2222'
"""

from __future__ import annotations

from tensorflux.framework.proto_message import Field, Message

__all__ = ["ClusterDef", "JobDef"]


class JobDef(Message):
    """One job: ``name`` and ``tasks`` (a map from task index to "host:port")."""

    full_name = "tensorflow.JobDef"
    fields = (
        Field("name", 1, "string"),
        Field("tasks", 2, "string", map_key="int32"),
    )


class ClusterDef(Message):
    """The jobs of a cluster (``job``: repeated :class:`JobDef`)."""

    full_name = "tensorflow.ClusterDef"
    fields = (Field("job", 1, "tensorflow.JobDef", repeated=True),)
